"""Plan: a validated design to its typed views (overview, flows, sequences, stages, charts, ...) and diagram IR."""
