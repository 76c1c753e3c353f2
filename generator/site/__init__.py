"""The course as a website: static pages, search index, step-through flows, present mode and dark mode."""
