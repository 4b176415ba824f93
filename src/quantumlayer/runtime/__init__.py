"""The embedded services manager: a local Temporal dev server and FalkorDB/Redis under QL_HOME.

`quantumlayer create` runs inside `embedded_services(home)`, which starts what is not running and
stops afterwards only what it started; `quantumlayer dev up|down|status` drive
`EmbeddedServices(home).up(persistent=True)`, `.down()` and `.status()`.
"""

from quantumlayer.runtime.binaries import falkordb_paths, temporal_binary
from quantumlayer.runtime.manager import EmbeddedServices, ServiceEndpoints, embedded_services
from quantumlayer.runtime.ports import free_port, wait_for_port

__all__ = [
    "EmbeddedServices",
    "ServiceEndpoints",
    "embedded_services",
    "falkordb_paths",
    "free_port",
    "temporal_binary",
    "wait_for_port",
]
