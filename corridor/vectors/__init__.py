"""Vector search helpers shared by the stores: the approximate (IVF) index."""

from .ann import IVFIndex, kmeans, quantize
from .store_ann import VectorRows, ann_pick, ann_threshold, build_index

__all__ = ["IVFIndex", "VectorRows", "ann_pick", "ann_threshold", "build_index", "kmeans",
           "quantize"]
