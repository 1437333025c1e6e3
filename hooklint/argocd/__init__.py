"""Argo CD's vocabulary: annotations, annotated resources, Applications, kinds and health."""
