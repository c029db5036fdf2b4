"""Where runs and their shared structures are kept: the run store (LangGraph's SQLite or
PostgreSQL checkpointer, `checkpoints`) and the memory and accumulator a session opens under
`NOETIC_HOME` (`shared`)."""
