"""Everything that imports Textual: the app, screens, widgets, command palette."""
