"""Writers: one module per output format, each with one public ``write_<format>(tree, ctx)``.

Every writer dispatches on node type through a table keyed by the tree's classes; a test checks
that each table covers :data:`converters.tree.NODE_TYPES`.
"""
