"""site_gen: an accessible static site generator for public policy documents."""

__version__ = "0.1.0"
