"""A test kit for roles and graphs: what Noetic's own tests run on, for plugin authors too.

    from noetic.testing import run_graph

    def test_my_critic_judges(tmp_path):
        result = run_graph({"critique": MyCritic()}, task="What is time?", home=tmp_path)
        assert all(c.critique for c in result.rounds[0].candidates)

`FillerModel` answers any role's schema with valid filler; `RoleScript` scripts the built-in
roles' judgments; `ScriptedModel` runs a script of your own; `HashingEmbedder` embeds without a
model; `run_graph` / `arun_graph` run a deliberation on them in a home of the test's own;
`LlamaServer` starts a real llama-server (or llama-cpp-python's server) on loopback.
"""

from noetic.testing.embedders import HashingEmbedder
from noetic.testing.filler import FillerModel, filler
from noetic.testing.llama_server import LlamaServer
from noetic.testing.role_script import RoleScript
from noetic.testing.run import arun_graph, run_graph
from noetic.testing.scripted import ScriptedModel, ScriptedRequest, flat_scores

__all__ = [
    "FillerModel",
    "HashingEmbedder",
    "LlamaServer",
    "RoleScript",
    "ScriptedModel",
    "ScriptedRequest",
    "arun_graph",
    "filler",
    "flat_scores",
    "run_graph",
]
