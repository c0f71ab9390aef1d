from .audience import AudienceBucket
from .heartbeat import SchedulerHeartbeat
from .links import Click, TrackedLink
from .posts import Post
from .records import Granularity, Kind, Metric, MetricRecord, Source
from .settlements import Settlement, SettlementLine

__all__ = [
    "AudienceBucket",
    "Click",
    "Granularity",
    "Kind",
    "Metric",
    "MetricRecord",
    "Post",
    "SchedulerHeartbeat",
    "Settlement",
    "SettlementLine",
    "Source",
    "TrackedLink",
]
