"""innograph: a knowledge graph of innovation entities from Chinese S&T articles."""

__version__ = "0.1.0"
