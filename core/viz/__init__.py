"""core.viz: pure Plotly figure builders and display formatting for the pages (data in, figure out)."""
