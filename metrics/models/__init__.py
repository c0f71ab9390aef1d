from .heartbeat import SchedulerHeartbeat
from .links import Click, TrackedLink
from .posts import Post
from .records import Granularity, Kind, Metric, MetricRecord, Source

__all__ = [
    "Click",
    "Granularity",
    "Kind",
    "Metric",
    "MetricRecord",
    "Post",
    "SchedulerHeartbeat",
    "Source",
    "TrackedLink",
]
