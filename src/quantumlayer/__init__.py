"""QuantumLayer: from a plain-language idea to a working, tested, deployable project."""

__version__ = "0.1.0"
