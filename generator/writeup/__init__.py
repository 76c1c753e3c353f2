"""Write-up: the Markdown (and preview HTML) around a design's pictures, from templates fed with data."""
