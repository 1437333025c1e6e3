"""The sync as Argo CD runs it: the plan, its scheduler, pruning, timelines, what-if and deletion."""
