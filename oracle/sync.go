package main

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/argoproj/gitops-engine/pkg/diff"
	"github.com/argoproj/gitops-engine/pkg/health"
	"github.com/argoproj/gitops-engine/pkg/sync"
	"github.com/argoproj/gitops-engine/pkg/sync/common"
	"github.com/argoproj/gitops-engine/pkg/utils/kube"
	"github.com/go-logr/logr"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
)

// Application is one line of input.
type Application struct {
	Name        string           `json:"name"`
	Namespace   string           `json:"namespace"`
	Manifests   []map[string]any `json:"manifests"`
	Live        []map[string]any `json:"live"`
	SyncOptions []string         `json:"syncOptions"`
	Prune       bool             `json:"prune"`
	Fail        string           `json:"fail"`       // Kind/name of the object that fails
	FailHealth  bool             `json:"failHealth"` // it applies, then ends Degraded (a Job or Pod that fails)
}

type resourceResult struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Status    string `json:"status"`
	HookType  string `json:"hookType"`
	HookPhase string `json:"hookPhase"`
	SyncPhase string `json:"syncPhase"`
	Message   string `json:"message"`
}

// Result is one line of output.
type Result struct {
	Name       string           `json:"name"`
	Operations []operation      `json:"operations"`
	Phase      string           `json:"phase"`
	Message    string           `json:"message"`
	Calls      int              `json:"calls"`
	Resources  []resourceResult `json:"resources"`
}

// maxCalls bounds the controller loop: an operation that has not completed by then is reported as it stands.
const maxCalls = 200

// healthy says every object is healthy: what was applied has rolled out, Jobs and Pods have completed. The one
// object named by degraded (Kind/name) has failed instead.
type healthy struct{ degraded string }

func (h healthy) GetResourceHealth(obj *unstructured.Unstructured) (*health.HealthStatus, error) {
	if h.degraded != "" && h.degraded == obj.GetKind()+"/"+obj.GetName() {
		return &health.HealthStatus{Status: health.HealthStatusDegraded, Message: "injected failure"}, nil
	}
	return &health.HealthStatus{Status: health.HealthStatusHealthy}, nil
}

func hasOption(options []string, option string) bool { return slices.Contains(options, option) }

// normalize does what Argo CD's controller does to the target objects before the sync engine sees them
// (controller/state.go, NormalizeTargetObjects): a cluster-scoped object loses its namespace, a namespaced one
// without a namespace gets the destination's.
func normalize(objs []*unstructured.Unstructured, namespace string, c *cluster) {
	for _, obj := range objs {
		gvk := obj.GroupVersionKind()
		namespaced := true
		if k, ok := c.kindOf(gvk.Group, gvk.Kind); ok {
			namespaced = k.Namespaced
		}
		switch {
		case !namespaced:
			obj.SetNamespace("")
		case obj.GetNamespace() == "":
			obj.SetNamespace(namespace)
		}
	}
}

// modified is the diff the controller hands to ApplyOutOfSyncOnly: a target differs from its live object when
// anything but the fields the API server sets differs.
func diffResults(rr sync.ReconciliationResult) *diff.DiffResultList {
	list := &diff.DiffResultList{}
	for i, target := range rr.Target {
		live := rr.Live[i]
		result := diff.DiffResult{Modified: true, NormalizedLive: []byte("null"), PredictedLive: []byte("null")}
		if target != nil {
			result.PredictedLive, _ = json.Marshal(target.Object)
		}
		if live != nil {
			result.NormalizedLive, _ = json.Marshal(live.Object)
			if target != nil {
				result.Modified = !equality.Semantic.DeepEqual(comparable(target), comparable(live))
			}
		}
		list.Diffs = append(list.Diffs, result)
		list.Modified = list.Modified || result.Modified
	}
	return list
}

func comparable(obj *unstructured.Unstructured) map[string]any {
	c := obj.DeepCopy()
	c.SetResourceVersion("")
	c.SetUID("")
	c.SetFinalizers(nil)
	unstructured.RemoveNestedField(c.Object, "status")
	return c.Object
}

func syncApplication(app *Application) Result {
	namespace := app.Namespace
	if namespace == "" {
		namespace = "default"
	}
	c := newCluster()
	for _, m := range app.Live {
		c.put(&unstructured.Unstructured{Object: m})
	}
	targets := make([]*unstructured.Unstructured, 0, len(app.Manifests))
	for _, m := range app.Manifests {
		targets = append(targets, &unstructured.Unstructured{Object: m})
	}
	// The namespace CreateNamespace=true makes is not one of the application's objects.
	tracked := map[objKey]bool{}
	for k := range c.objects {
		tracked[k] = true
	}

	call := 0
	restConfig := &rest.Config{
		Host:          "http://oracle.invalid",
		Transport:     &transport{c: c, call: &call},
		ContentConfig: rest.ContentConfig{ContentType: "application/json", AcceptContentTypes: "application/json"},
	}
	failApply, degraded := app.Fail, ""
	if app.FailHealth {
		failApply, degraded = "", app.Fail
	}
	kubectl := &fakeKubectl{c: c, call: &call, fail: failApply}
	startedAt := metav1.NewTime(time.Unix(1700000000, 0))
	var phase common.OperationPhase
	var message string
	var results []common.ResourceSyncResult

	// The results an earlier operation took, by object and phase: a result stands for one apply, whichever call
	// it happened in (the SyncFail apply of a hook whose Sync apply failed has a result of its own).
	used := map[string]bool{}
	for call = 1; call <= maxCalls; call++ {
		c.mu.Lock()
		normalize(targets, namespace, c)
		targetKeys := map[objKey]bool{}
		objs := make([]*unstructured.Unstructured, 0, len(targets))
		for _, t := range targets {
			objs = append(objs, t.DeepCopy())
			targetKeys[c.keyOf(t)] = true
		}
		liveByKey := map[kube.ResourceKey]*unstructured.Unstructured{}
		for k, obj := range c.objects {
			if k.Kind == "Namespace" && k.Group == "" && k.Name == namespace && !tracked[k] && !targetKeys[k] {
				continue
			}
			liveByKey[kube.GetResourceKey(obj)] = obj.DeepCopy()
		}
		c.mu.Unlock()
		rr := sync.Reconcile(objs, liveByKey, namespace, c)

		current := call
		opts := []sync.SyncOpt{
			sync.WithLogr(logr.Discard()),
			sync.WithHealthOverride(healthy{degraded: degraded}),
			sync.WithOperationSettings(false, app.Prune, false, false),
			sync.WithInitialState(phase, message, results, startedAt),
			sync.WithManifestValidation(!hasOption(app.SyncOptions, common.SyncOptionsDisableValidation)),
			sync.WithSyncWaveHook(func(p common.SyncPhase, wave int, _ bool) error {
				c.mu.Lock()
				defer c.mu.Unlock()
				for i := range c.ops {
					op := &c.ops[i]
					if op.Call == current && !op.tagged {
						w := wave
						op.Phase, op.Wave, op.tagged = string(p), &w, true
					}
				}
				return nil
			}),
			sync.WithPruneLast(hasOption(app.SyncOptions, common.SyncOptionPruneLast)),
			sync.WithResourceModificationChecker(hasOption(app.SyncOptions, "ApplyOutOfSyncOnly=true"), diffResults(rr)),
			sync.WithReplace(hasOption(app.SyncOptions, common.SyncOptionReplace)),
			sync.WithServerSideApply(hasOption(app.SyncOptions, common.SyncOptionServerSideApply)),
			sync.WithSkipDryRunOnMissingResource(hasOption(app.SyncOptions, common.SyncOptionSkipDryRunOnMissingResource)),
		}
		if hasOption(app.SyncOptions, "CreateNamespace=true") {
			// Argo CD's syncNamespace (controller/sync_namespace.go) without managed namespace metadata: create
			// the namespace only when it does not exist.
			opts = append(opts, sync.WithNamespaceModifier(func(managed, live *unstructured.Unstructured) (bool, error) {
				return managed != nil && live == nil, nil
			}))
		}
		syncCtx, cleanup, err := sync.NewSyncContext("0123456789abcdef", rr, restConfig, restConfig, kubectl, namespace, nil, opts...)
		if err != nil {
			return Result{Name: app.Name, Phase: "OracleError", Message: err.Error()}
		}
		syncCtx.Sync()
		phase, message, results = syncCtx.GetState()
		cleanup()

		c.mu.Lock()
		c.finishDeletions(current)
		for i := range c.ops {
			op := &c.ops[i]
			if op.Call == current && !op.tagged {
				// Outside any wave: the namespace made before the dry run, hook deletions after the last wave,
				// or an apply in a wave that failed.
				op.tagged = true
				op.Phase = syncPhaseOf(results, op, used)
			}
		}
		c.mu.Unlock()
		if phase.Completed() {
			break
		}
	}

	out := Result{Name: app.Name, Operations: c.ops, Phase: string(phase), Message: message, Calls: call}
	if out.Operations == nil {
		out.Operations = []operation{}
	}
	for _, r := range results {
		out.Resources = append(out.Resources, resourceResult{
			Kind: r.ResourceKey.Kind, Name: r.ResourceKey.Name, Namespace: r.ResourceKey.Namespace,
			Status: string(r.Status), HookType: string(r.HookType), HookPhase: string(r.HookPhase),
			SyncPhase: string(r.SyncPhase), Message: r.Message,
		})
	}
	return out
}

// syncPhaseOf is the phase of the result an operation outside any wave belongs to. A named hook of several
// phases has a result per phase: the applies of one call take, in order, the results that call started
// (running, or failed to apply), each once; results come in the order they were set.
func syncPhaseOf(results []common.ResourceSyncResult, op *operation, used map[string]bool) string {
	found := -1
	for i, r := range results {
		key := r.ResourceKey
		if key.Kind != op.Kind || key.Name != op.Name || key.Group != op.Group {
			continue
		}
		if op.Namespace != "" && key.Namespace != op.Namespace {
			// A hook and a live object of one name in two namespaces have results of their own; a
			// cluster-scoped object's operation carries no namespace, whatever its result's key says.
			continue
		}
		// Started by this call: running (applied), or failed with the apply itself. A result that failed its
		// health (a Pod that ended Failed) was started by an earlier call.
		started := r.HookPhase == common.OperationRunning || r.Status == common.ResultCodeSyncFailed
		if started && !used[resultKey(r)] {
			found = i
			break
		}
		if found == -1 {
			found = i
		}
	}
	if found == -1 {
		return ""
	}
	if op.Op != "delete" && op.Op != "prune" {
		used[resultKey(results[found])] = true // a deletion starts nothing
	}
	return string(results[found].SyncPhase)
}

func resultKey(r common.ResourceSyncResult) string {
	k := r.ResourceKey
	return k.Group + "/" + k.Kind + "/" + k.Namespace + "/" + k.Name + "/" + string(r.SyncPhase)
}
