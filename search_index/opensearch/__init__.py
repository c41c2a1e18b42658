"""The OpenSearch backend: mapping (``mappings``), pure query builders (``queries``), client
code (``backend``)."""
