"""The _template service's published interface: its marshmallow In (requests), Out (answers) and Query
(a list's filters, ending with shared.pagination's limit and cursor) schemas. The gateway may import
this module, and no other of this service."""
