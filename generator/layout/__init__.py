"""Layout: views to positions (Graphviz for architecture views and charts, plain geometry for sequences)."""
