"""Pledge tracker: commitments clustered across articles, with their cited history.

See ``model.py`` (Pledge, PledgeMention, PledgeSignal), ``cluster.py`` (how
commitments are grouped), ``status.py`` (how later sentences become status
signals) and ``tracker.py`` (reading them from a Store).
"""

from __future__ import annotations

from .cluster import ClusterParams, Item, Link, cluster, cluster_links
from .model import SIGNAL_KINDS, STATUSES, Pledge, PledgeLink, PledgeMention, PledgeSignal
from .tracker import PledgeTracker, build_pledges, pledge_id
from .vectors import embed_actions

__all__ = [
    "SIGNAL_KINDS",
    "STATUSES",
    "ClusterParams",
    "Item",
    "Link",
    "Pledge",
    "PledgeLink",
    "PledgeMention",
    "PledgeSignal",
    "PledgeTracker",
    "build_pledges",
    "cluster",
    "cluster_links",
    "embed_actions",
    "pledge_id",
]
