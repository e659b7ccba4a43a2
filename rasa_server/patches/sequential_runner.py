"""Run the prediction graph node by node in plain Python, without dask's scheduler.

For every message Rasa 3.6 runs its model graph about four times (the NLU parse and one
dialogue prediction per action), each time rebuilding the minimal sub-graph and handing
it to dask's synchronous scheduler. The graph is small and is run in one thread anyway,
so that bookkeeping was about a tenth of the Rasa server's time in
benchmarks/latency.py. This runner does what DaskGraphRunner.run does, in the same
order dependencies allow, with the sub-graph's order worked out once per set of targets.
Training still uses dask.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

import rasa.core.processor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

from rasa_server.patches import Patch


class SequentialGraphRunner(DaskGraphRunner):
    def run(self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        values: Dict[Text, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(f"Input value '{value}' clashes with a node name.")
            values[name] = (name, value)
        # As with dask: a need that nothing provides is passed as its bare name.
        for name, needs in self._plan(run_targets):
            values[name] = self._instantiated_nodes[name](*(values.get(need, need) for need in needs))
        return dict(values[target] for target in run_targets)

    def _plan(self, targets: Tuple[Text, ...]) -> Tuple[Tuple[Text, Tuple[Text, ...]], ...]:
        """The nodes the targets depend on, each after its own dependencies, with their needs (worked out once per runner)."""
        plans = self.__dict__.setdefault("_plans", {})
        if targets not in plans:
            plans[targets] = self._work_out_plan(targets)
        return plans[targets]

    def _work_out_plan(self, targets: Tuple[Text, ...]) -> Tuple[Tuple[Text, Tuple[Text, ...]], ...]:
        nodes = self._graph_schema.minimal_graph_schema(list(targets)).nodes
        ordered: List[Text] = []

        def visit(name: Text, path: Tuple[Text, ...]) -> None:
            if name in ordered or name not in nodes:
                return
            if name in path:
                raise GraphRunError(f"The graph has a cycle through '{name}'.")
            for need in nodes[name].needs.values():
                visit(need, path + (name,))
            ordered.append(name)

        for target in targets:
            visit(target, ())
        return tuple((name, tuple(nodes[name].needs.values())) for name in ordered)


PATCH = Patch("sequential_runner", rasa.core.processor, "DaskGraphRunner", SequentialGraphRunner)
