package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// kindInfo is what discovery says of a kind: its plural resource name and whether it lives in a namespace.
type kindInfo struct {
	Group      string
	Kind       string
	Plural     string
	Namespaced bool
}

// builtinKinds are the kinds the simulated API server knows before any CRD is applied: every kind of the
// engine's kind order and a few more that applications commonly hold.
var builtinKinds = func() []kindInfo {
	spec := []struct {
		group, kind string
		namespaced  bool
	}{
		{"", "Namespace", false},
		{"networking.k8s.io", "NetworkPolicy", true},
		{"", "ResourceQuota", true},
		{"", "LimitRange", true},
		{"policy", "PodSecurityPolicy", false},
		{"policy", "PodDisruptionBudget", true},
		{"", "ServiceAccount", true},
		{"", "Secret", true},
		{"", "SecretList", true},
		{"", "ConfigMap", true},
		{"storage.k8s.io", "StorageClass", false},
		{"", "PersistentVolume", false},
		{"", "PersistentVolumeClaim", true},
		{"apiextensions.k8s.io", "CustomResourceDefinition", false},
		{"rbac.authorization.k8s.io", "ClusterRole", false},
		{"rbac.authorization.k8s.io", "ClusterRoleList", false},
		{"rbac.authorization.k8s.io", "ClusterRoleBinding", false},
		{"rbac.authorization.k8s.io", "ClusterRoleBindingList", false},
		{"rbac.authorization.k8s.io", "Role", true},
		{"rbac.authorization.k8s.io", "RoleList", true},
		{"rbac.authorization.k8s.io", "RoleBinding", true},
		{"rbac.authorization.k8s.io", "RoleBindingList", true},
		{"", "Service", true},
		{"apps", "DaemonSet", true},
		{"", "Pod", true},
		{"", "ReplicationController", true},
		{"apps", "ReplicaSet", true},
		{"apps", "Deployment", true},
		{"autoscaling", "HorizontalPodAutoscaler", true},
		{"apps", "StatefulSet", true},
		{"batch", "Job", true},
		{"batch", "CronJob", true},
		{"networking.k8s.io", "IngressClass", false},
		{"networking.k8s.io", "Ingress", true},
		{"apiregistration.k8s.io", "APIService", false},
		{"admissionregistration.k8s.io", "ValidatingWebhookConfiguration", false},
		{"admissionregistration.k8s.io", "MutatingWebhookConfiguration", false},
		{"scheduling.k8s.io", "PriorityClass", false},
	}
	kinds := make([]kindInfo, 0, len(spec))
	for _, s := range spec {
		kinds = append(kinds, kindInfo{s.group, s.kind, plural(s.kind), s.namespaced})
	}
	return kinds
}()

func plural(kind string) string {
	lower := strings.ToLower(kind)
	switch {
	case strings.HasSuffix(lower, "s"):
		return lower + "es"
	case strings.HasSuffix(lower, "y"):
		return lower[:len(lower)-1] + "ies"
	}
	return lower + "s"
}

type objKey struct {
	Group, Kind, Namespace, Name string
}

// cluster is an in-memory Kubernetes API: the objects, the kinds discovery knows (built-ins and those of every
// CRD in the store), and a record of the operations made on it.
type cluster struct {
	mu      sync.Mutex
	objects map[objKey]*unstructured.Unstructured
	version int
	ops     []operation
}

// operation is one change the engine made; Phase and Wave are filled in from the engine's wave hook.
type operation struct {
	Op        string `json:"op"`
	Kind      string `json:"kind"`
	Group     string `json:"group"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Phase     string `json:"phase"`
	Wave      *int   `json:"wave"`
	Call      int    `json:"call"`
	tagged    bool
}

func newCluster() *cluster {
	return &cluster{objects: map[objKey]*unstructured.Unstructured{}}
}

func (c *cluster) kinds() []kindInfo {
	kinds := append([]kindInfo(nil), builtinKinds...)
	for k, obj := range c.objects {
		if k.Kind != "CustomResourceDefinition" || k.Group != "apiextensions.k8s.io" {
			continue
		}
		group, _, _ := unstructured.NestedString(obj.Object, "spec", "group")
		kind, _, _ := unstructured.NestedString(obj.Object, "spec", "names", "kind")
		res, _, _ := unstructured.NestedString(obj.Object, "spec", "names", "plural")
		scope, _, _ := unstructured.NestedString(obj.Object, "spec", "scope")
		if kind == "" {
			continue
		}
		if res == "" {
			res = plural(kind)
		}
		kinds = append(kinds, kindInfo{group, kind, res, scope != "Cluster"})
	}
	return kinds
}

func (c *cluster) kindOf(group, kind string) (kindInfo, bool) {
	for _, k := range c.kinds() {
		if k.Group == group && k.Kind == kind {
			return k, true
		}
	}
	return kindInfo{}, false
}

// IsNamespaced answers for kinds it does not know that they are namespaced, as Argo CD does for unknown kinds.
func (c *cluster) IsNamespaced(gk schema.GroupKind) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.kindOf(gk.Group, gk.Kind); ok {
		return k.Namespaced, nil
	}
	return true, nil
}

func (c *cluster) keyOf(obj *unstructured.Unstructured) objKey {
	gvk := obj.GroupVersionKind()
	ns := obj.GetNamespace()
	if k, ok := c.kindOf(gvk.Group, gvk.Kind); ok && !k.Namespaced {
		ns = ""
	}
	return objKey{gvk.Group, gvk.Kind, ns, obj.GetName()}
}

// refusal is the error a real API server answers an apply of obj with, or nil. A kind no built-in serves and no
// CRD in the store defines is unknown: kubectl finds no mapping for it and sends nothing ("ensure CRDs are
// installed first"). A kind whose CRD is terminating is still served, but creating a new object of it is forbidden
// (apiextensions-apiserver, forbidCreateAdmission in customresource_handler.go); an apply to an object that exists
// is an update, which goes through.
func (c *cluster) refusal(obj *unstructured.Unstructured) error {
	gvk := obj.GroupVersionKind()
	if _, ok := c.kindOf(gvk.Group, gvk.Kind); !ok {
		return fmt.Errorf("resource mapping not found for name: %q namespace: %q: no matches for kind %q in version %q: ensure CRDs are installed first",
			obj.GetName(), obj.GetNamespace(), gvk.Kind, gvk.GroupVersion().String())
	}
	if _, exists := c.objects[c.keyOf(obj)]; exists {
		return nil
	}
	for k, crd := range c.objects {
		if k.Kind != "CustomResourceDefinition" || k.Group != "apiextensions.k8s.io" || crd.GetDeletionTimestamp() == nil {
			continue
		}
		group, _, _ := unstructured.NestedString(crd.Object, "spec", "group")
		kind, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "kind")
		if group == gvk.Group && kind == gvk.Kind {
			return fmt.Errorf("%s %q is forbidden: create not allowed while custom resource definition is terminating", gvk.Kind, obj.GetName())
		}
	}
	return nil
}

// put stores an object as the API server would, assigning a resource version and, for a CRD, the Established
// condition at once.
func (c *cluster) put(obj *unstructured.Unstructured) *unstructured.Unstructured {
	stored := obj.DeepCopy()
	key := c.keyOf(stored)
	if key.Namespace == "" {
		stored.SetNamespace("")
	}
	if live, ok := c.objects[key]; ok && live.GetDeletionTimestamp() != nil {
		// An apply cannot take back a deletion: a terminating object stays terminating.
		stored.SetDeletionTimestamp(live.GetDeletionTimestamp())
	}
	c.version++
	stored.SetResourceVersion(fmt.Sprint(c.version))
	if stored.GetUID() == "" {
		stored.SetUID(typesUID(c.version))
	}
	if key.Kind == "CustomResourceDefinition" {
		_ = unstructured.SetNestedSlice(stored.Object, []any{
			map[string]any{"type": "Established", "status": "True"},
			map[string]any{"type": "NamesAccepted", "status": "True"},
		}, "status", "conditions")
	}
	c.objects[key] = stored
	return stored
}

// remove deletes an object at once, except a CRD: the API server keeps a deleted CRD, Terminating, until its
// finalizer has deleted every custom resource of its kind (apiextensions-apiserver, CRDFinalizer.sync in
// crd_finalizer.go), and meanwhile still serves its kind to discovery and to get, list and delete requests
// (DiscoveryController.sync, crdHandler.serveResource). So the engine can still delete a custom resource after
// its CRD in the same call; finishDeletions, after each call, does the finalizer's work. A second deletion of a
// terminating CRD changes nothing (the API server answers with the object as it is): remove says whether the
// deletion changed anything.
func (c *cluster) remove(key objKey) bool {
	obj := c.objects[key]
	if key.Kind == "CustomResourceDefinition" && key.Group == "apiextensions.k8s.io" {
		if obj.GetDeletionTimestamp() != nil {
			return false
		}
		now := metav1.Now()
		obj.SetDeletionTimestamp(&now)
		return true
	}
	delete(c.objects, key)
	return true
}

// finishDeletions removes the CRDs deleted during the last call and, first, every custom resource of their kinds,
// recording those as "cleanup": the API server deletes them, not the engine.
func (c *cluster) finishDeletions(call int) {
	var crds []objKey
	for k, obj := range c.objects {
		if k.Kind == "CustomResourceDefinition" && k.Group == "apiextensions.k8s.io" && obj.GetDeletionTimestamp() != nil {
			crds = append(crds, k)
		}
	}
	sort.Slice(crds, func(i, j int) bool { return crds[i].Name < crds[j].Name })
	for _, k := range crds {
		crd := c.objects[k]
		group, _, _ := unstructured.NestedString(crd.Object, "spec", "group")
		kind, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "kind")
		var instances []objKey
		for ik := range c.objects {
			if ik.Group == group && ik.Kind == kind {
				instances = append(instances, ik)
			}
		}
		sort.Slice(instances, func(i, j int) bool {
			return instances[i].Namespace+"/"+instances[i].Name < instances[j].Namespace+"/"+instances[j].Name
		})
		for _, ik := range instances {
			delete(c.objects, ik)
			c.recordKey("cleanup", ik, call)
		}
		delete(c.objects, k)
	}
}

func (c *cluster) record(op string, obj *unstructured.Unstructured, call int) {
	c.recordKey(op, c.keyOf(obj), call)
}

func (c *cluster) recordKey(op string, k objKey, call int) {
	c.ops = append(c.ops, operation{Op: op, Kind: k.Kind, Group: k.Group, Name: k.Name, Namespace: k.Namespace, Call: call})
}

// transport serves the discovery, dynamic and CRD clients from the store. Only what the sync engine asks for is
// served: discovery of a group version, and get, list, update and delete of objects.
type transport struct {
	c    *cluster
	call *int
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	status, body := t.serve(req)
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	return &http.Response{
		StatusCode: status,
		Header:     http.Header{"Content-Type": []string{"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(data)),
		Request:    req,
	}, nil
}

func notFound(what string) (int, any) {
	return http.StatusNotFound, metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure, Reason: metav1.StatusReasonNotFound, Code: http.StatusNotFound,
		Message: what + " not found",
	}
}

func (t *transport) serve(req *http.Request) (int, any) {
	parts := strings.Split(strings.Trim(req.URL.Path, "/"), "/")
	var group, version string
	var rest []string
	switch {
	case len(parts) >= 2 && parts[0] == "api":
		group, version, rest = "", parts[1], parts[2:]
	case len(parts) >= 3 && parts[0] == "apis":
		group, version, rest = parts[1], parts[2], parts[3:]
	default:
		return notFound(req.URL.Path)
	}
	gv := schema.GroupVersion{Group: group, Version: version}.String()
	if len(rest) == 0 {
		list := metav1.APIResourceList{TypeMeta: metav1.TypeMeta{Kind: "APIResourceList", APIVersion: "v1"}, GroupVersion: gv}
		verbs := metav1.Verbs{"create", "delete", "get", "list", "patch", "update", "watch"}
		for _, k := range t.c.kinds() {
			if k.Group == group {
				list.APIResources = append(list.APIResources, metav1.APIResource{Name: k.Plural, Kind: k.Kind, Namespaced: k.Namespaced, Verbs: verbs})
			}
		}
		if len(list.APIResources) == 0 {
			return notFound(gv)
		}
		sort.Slice(list.APIResources, func(i, j int) bool { return list.APIResources[i].Name < list.APIResources[j].Name })
		return http.StatusOK, list
	}
	ns := ""
	if len(rest) >= 2 && rest[0] == "namespaces" && len(rest) != 2 {
		ns, rest = rest[1], rest[2:]
	}
	var info kindInfo
	found := false
	for _, k := range t.c.kinds() {
		if k.Group == group && k.Plural == rest[0] {
			info, found = k, true
		}
	}
	if !found || len(rest) < 2 {
		return notFound(req.URL.Path)
	}
	key := objKey{group, info.Kind, ns, rest[1]}
	obj, ok := t.c.objects[key]
	switch req.Method {
	case http.MethodGet:
		if !ok {
			return notFound(key.Name)
		}
		return http.StatusOK, obj.Object
	case http.MethodPut:
		if !ok {
			return notFound(key.Name)
		}
		var updated unstructured.Unstructured
		data, err := io.ReadAll(req.Body)
		if err == nil {
			err = json.Unmarshal(data, &updated.Object)
		}
		if err != nil {
			return http.StatusBadRequest, metav1.Status{Status: metav1.StatusFailure, Message: err.Error(), Code: http.StatusBadRequest}
		}
		return http.StatusOK, t.c.put(&updated).Object
	case http.MethodDelete:
		if !ok {
			return notFound(key.Name)
		}
		if t.c.remove(key) {
			t.c.recordKey("delete", key, *t.call)
		}
		return http.StatusOK, metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: metav1.StatusSuccess}
	}
	return http.StatusMethodNotAllowed, metav1.Status{Status: metav1.StatusFailure, Code: http.StatusMethodNotAllowed}
}
