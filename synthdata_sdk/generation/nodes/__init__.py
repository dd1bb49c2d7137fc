"""Column generators: one node per subschema, each producing a whole column per call."""

from synthdata_sdk.generation.nodes.base import Context, Node

__all__ = ["Context", "Node"]
