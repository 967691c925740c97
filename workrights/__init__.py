"""workrights: an employment-law knowledge base and rights-guidance assistant for US workers."""

__version__ = "0.1.0"
