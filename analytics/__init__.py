"""lsp-performance: everything that is not UI."""
