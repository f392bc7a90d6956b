"""The History & insights window: one module per tab, with its charts and heatmap."""
