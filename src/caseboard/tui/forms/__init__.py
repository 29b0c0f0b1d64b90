"""Modal forms for the board's actions: one module per form, a shared base and field widgets."""
