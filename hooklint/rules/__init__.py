"""The rule registry: every rule module, listed explicitly; rules are kept in id order."""

from __future__ import annotations

from hooklint.model import Rule
from hooklint.rules.annotations import (
    hl000_unused_suppression,
    hl001_hl003_input_problems,
    hl004_duplicate_resource,
    hl005_duplicate_key,
    hl010_hl013_annotation_values,
    hl014_misplaced_annotation,
    hl015_skip_mixed_with_hook_types,
    hl016_delete_policy_without_hook,
    hl017_hl018_helm_hooks,
    hl019_hook_needs_newer_argocd,
    hl020_invalid_sync_option,
)
from hooklint.rules.hooks import (
    hl101_hl102_delete_policies,
    hl103_hl106_hook_jobs,
    hl107_stateful_hook_recreated,
    hl108_non_hook_job,
    hl109_drift_blind_hook,
    hl110_hooks_only_application,
    hl111_hl114_failure_and_deletion,
    hl115_named_hook_in_several_phases,
    hl116_hook_only_change,
)
from hooklint.rules.hygiene import hl301_hl304_hook_containers, hl305_hook_runs_with_admin_rights
from hooklint.rules.ordering import (
    hl201_hl203_dependencies,
    hl204_wave_gate_without_health,
    hl205_wave_blocked_by_load_balancer,
    hl206_missing_dependency,
    hl207_hl208_hooks_missing_what_they_need,
    hl209_webhook_before_backend,
    hl210_hook_calls_service_not_yet_applied,
    hl211_applicationset_template_wave,
    hl212_hook_needs_child_app_object,
)

ALL_RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *hl000_unused_suppression.RULES,
            *hl001_hl003_input_problems.RULES,
            *hl004_duplicate_resource.RULES,
            *hl005_duplicate_key.RULES,
            *hl010_hl013_annotation_values.RULES,
            *hl014_misplaced_annotation.RULES,
            *hl015_skip_mixed_with_hook_types.RULES,
            *hl016_delete_policy_without_hook.RULES,
            *hl017_hl018_helm_hooks.RULES,
            *hl019_hook_needs_newer_argocd.RULES,
            *hl020_invalid_sync_option.RULES,
            *hl101_hl102_delete_policies.RULES,
            *hl103_hl106_hook_jobs.RULES,
            *hl107_stateful_hook_recreated.RULES,
            *hl108_non_hook_job.RULES,
            *hl109_drift_blind_hook.RULES,
            *hl110_hooks_only_application.RULES,
            *hl111_hl114_failure_and_deletion.RULES,
            *hl115_named_hook_in_several_phases.RULES,
            *hl116_hook_only_change.RULES,
            *hl201_hl203_dependencies.RULES,
            *hl204_wave_gate_without_health.RULES,
            *hl205_wave_blocked_by_load_balancer.RULES,
            *hl206_missing_dependency.RULES,
            *hl207_hl208_hooks_missing_what_they_need.RULES,
            *hl209_webhook_before_backend.RULES,
            *hl210_hook_calls_service_not_yet_applied.RULES,
            *hl211_applicationset_template_wave.RULES,
            *hl212_hook_needs_child_app_object.RULES,
            *hl301_hl304_hook_containers.RULES,
            *hl305_hook_runs_with_admin_rights.RULES,
        ),
        key=lambda rule: rule.id,
    )
)


def get(selector: str) -> Rule | None:
    """A rule by id (any case) or name."""
    for rule in ALL_RULES:
        if selector.upper() == rule.id or selector == rule.name:
            return rule
    return None
