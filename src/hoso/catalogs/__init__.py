"""Code lists (danh mục): versioned, with their sources."""
