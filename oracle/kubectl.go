package main

import (
	"context"
	"fmt"

	"github.com/argoproj/gitops-engine/pkg/utils/kube"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/managedfields"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	cmdutil "k8s.io/kubectl/pkg/cmd/util"
	"k8s.io/kubectl/pkg/util/openapi"
)

func typesUID(n int) types.UID { return types.UID(fmt.Sprintf("uid-%d", n)) }

// fakeKubectl stands in for kubectl: it changes the simulated cluster and records every change that is not a dry
// run. An apply of the object named by the application's failing task fails.
type fakeKubectl struct {
	c    *cluster
	call *int
	fail string
}

var _ kube.Kubectl = (*fakeKubectl)(nil)
var _ kube.ResourceOperations = fakeOps{}

// fakeOps is the resource-operations side of fakeKubectl (the two interfaces share a method name).
type fakeOps struct{ *fakeKubectl }

func (k *fakeKubectl) ManageResources(*rest.Config, openapi.Resources) (kube.ResourceOperations, func(), error) {
	return fakeOps{k}, func() {}, nil
}

func (k *fakeKubectl) LoadOpenAPISchema(*rest.Config) (openapi.Resources, *managedfields.GvkParser, error) {
	return nil, nil, nil
}

func (k *fakeKubectl) ConvertToVersion(obj *unstructured.Unstructured, _, _ string) (*unstructured.Unstructured, error) {
	return obj, nil
}

func (k *fakeKubectl) DeleteResource(_ context.Context, _ *rest.Config, gvk schema.GroupVersionKind, name, namespace string, _ metav1.DeleteOptions) error {
	k.c.mu.Lock()
	defer k.c.mu.Unlock()
	probe := &unstructured.Unstructured{}
	probe.SetGroupVersionKind(gvk)
	probe.SetName(name)
	probe.SetNamespace(namespace)
	key := k.c.keyOf(probe)
	if _, ok := k.c.objects[key]; !ok {
		return apierrors.NewNotFound(schema.GroupResource{Group: gvk.Group, Resource: gvk.Kind}, name)
	}
	if k.c.remove(key) {
		k.c.recordKey("prune", key, *k.call)
	}
	return nil
}

func (k *fakeKubectl) GetResource(_ context.Context, _ *rest.Config, gvk schema.GroupVersionKind, name, namespace string) (*unstructured.Unstructured, error) {
	k.c.mu.Lock()
	defer k.c.mu.Unlock()
	probe := &unstructured.Unstructured{}
	probe.SetGroupVersionKind(gvk)
	probe.SetName(name)
	probe.SetNamespace(namespace)
	if obj, ok := k.c.objects[k.c.keyOf(probe)]; ok {
		return obj.DeepCopy(), nil
	}
	return nil, apierrors.NewNotFound(schema.GroupResource{Group: gvk.Group, Resource: gvk.Kind}, name)
}

func (k *fakeKubectl) CreateResource(context.Context, *rest.Config, schema.GroupVersionKind, string, string, *unstructured.Unstructured, metav1.CreateOptions, ...string) (*unstructured.Unstructured, error) {
	return nil, fmt.Errorf("the oracle does not create through kubectl")
}

func (k *fakeKubectl) PatchResource(context.Context, *rest.Config, schema.GroupVersionKind, string, string, types.PatchType, []byte, ...string) (*unstructured.Unstructured, error) {
	return nil, fmt.Errorf("the oracle does not patch")
}

func (k *fakeKubectl) GetAPIResources(*rest.Config, bool, kube.ResourceFilter) ([]kube.APIResourceInfo, error) {
	return nil, nil
}

func (k *fakeKubectl) GetServerVersion(*rest.Config) (string, error) { return "v1.34.0", nil }

func (k *fakeKubectl) NewDynamicClient(config *rest.Config) (dynamic.Interface, error) {
	return dynamic.NewForConfig(config)
}

func (k *fakeKubectl) SetOnKubectlRun(kube.OnKubectlRunFunc) {}

func (k *fakeKubectl) write(op string, obj *unstructured.Unstructured, dryRun cmdutil.DryRunStrategy) (string, error) {
	k.c.mu.Lock()
	defer k.c.mu.Unlock()
	if dryRun != cmdutil.DryRunNone {
		// What was changed before the dry run (the namespace CreateNamespace=true makes) belongs to no wave.
		for i := range k.c.ops {
			if op := &k.c.ops[i]; op.Call == *k.call && !op.tagged {
				op.tagged, op.Phase = true, "BeforeDryRun"
			}
		}
		return "dry run", nil
	}
	if k.fail != "" && k.fail == obj.GetKind()+"/"+obj.GetName() && op != "update" {
		k.c.record(op+"-failed", obj, *k.call)
		return "", fmt.Errorf("injected failure of %s", k.fail)
	}
	if err := k.c.refusal(obj); err != nil {
		k.c.record(op+"-failed", obj, *k.call)
		return "", err
	}
	k.c.record(op, obj, *k.call)
	k.c.put(obj)
	return fmt.Sprintf("%s/%s %s done", obj.GetKind(), obj.GetName(), op), nil
}

func (k fakeOps) ApplyResource(_ context.Context, obj *unstructured.Unstructured, dryRun cmdutil.DryRunStrategy, _, _, _ bool, _ string) (string, error) {
	return k.write("apply", obj, dryRun)
}

func (k fakeOps) ReplaceResource(_ context.Context, obj *unstructured.Unstructured, dryRun cmdutil.DryRunStrategy, _ bool) (string, error) {
	return k.write("replace", obj, dryRun)
}

func (k fakeOps) CreateResource(_ context.Context, obj *unstructured.Unstructured, dryRun cmdutil.DryRunStrategy, _ bool) (string, error) {
	return k.write("create", obj, dryRun)
}

func (k fakeOps) UpdateResource(_ context.Context, obj *unstructured.Unstructured, dryRun cmdutil.DryRunStrategy) (*unstructured.Unstructured, error) {
	if _, err := k.write("update", obj, dryRun); err != nil {
		return nil, err
	}
	return obj, nil
}
