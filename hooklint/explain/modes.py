"""The questions `explain` answers beyond the plan (--timeline, --fail, --selective, --delete): which
combinations make sense, and the answer in the chosen format."""

from __future__ import annotations

from hooklint.sync.plan import Plan
from hooklint.util.frozen import frozen


@frozen
class Question:
    timeline: bool = False
    fail: str | None = None  # KIND/NAME or KIND/NAMESPACE/NAME
    selective: bool = False
    delete: bool = False
    apply_error: bool = False  # the --fail target's apply fails rather than its health

    @property
    def conflict(self) -> str | None:
        """Why the options do not combine, or None. --selective and --delete each change the scenario;
        --timeline and --fail each ask about it; the failure's timing is left out, since it depends on when
        the failure happens."""
        if self.apply_error and (self.fail is None or self.delete):
            return "--apply-error goes with --fail, for a sync: it says how the object fails"
        if self.selective and self.delete:
            return "--selective and --delete do not combine: a selective sync deletes nothing"
        if self.timeline and self.delete:
            return "--timeline and --delete do not combine: --timeline times a sync"
        if self.timeline and self.fail is not None:
            return (
                "--timeline and --fail do not combine: how long a failing sync takes depends on when it fails"
            )
        return None

    def answer(self, plan: Plan, output_format: str) -> str:
        """The answer rendered; raises WhatIfError for a name it cannot use."""
        from hooklint.sync import whatif

        if self.delete:
            from hooklint.explain import deletion as explain_deletion
            from hooklint.sync import deletion

            if self.fail is not None:
                stuck = deletion.fail_deletion(plan, whatif.find(self.fail, plan))
                return explain_deletion.DELETION_FAILURE_RENDERERS[output_format](stuck)
            return explain_deletion.DELETION_RENDERERS[output_format](deletion.deletion(plan))
        scenario = plan
        if self.selective:
            from hooklint.explain import selective as explain_selective

            hookless = whatif.selective(plan)
            if self.fail is None and not self.timeline:
                return explain_selective.RENDERERS[output_format](hookless)
            scenario = hookless.plan
        if self.timeline:
            from hooklint.explain import timeline as explain_timeline
            from hooklint.sync import timeline

            timed = timeline.timeline(scenario, selective=self.selective)
            return explain_timeline.RENDERERS[output_format](timed)
        assert self.fail is not None
        from hooklint.explain import whatif as explain_whatif

        target = whatif.find(self.fail, plan)
        failure = whatif.fail(scenario, target, selective=self.selective, apply_error=self.apply_error)
        return explain_whatif.FAILURE_RENDERERS[output_format](failure)
