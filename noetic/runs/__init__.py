"""A run's life, above the pillars: open a session (`session`), drive the graph (`driver`), read
stored runs back (`stored`), many runs at once (`batch`), the Python API (`api`), the result it
returns (`result`), run ids (`ids`) and the live progress display (`progress`)."""
