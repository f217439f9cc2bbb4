"""Scenario files: YAML → validated model → engine World and State, with located errors.

    from game.scenario import load_scenario, ScenarioError
    world, state = load_scenario("scenarios/homs_junction.yaml")
"""

from .loader import (
    MAX_BYTES,
    Loaded,
    Parsed,
    analyse,
    build_from_data,
    check_file,
    check_text,
    load,
    load_scenario,
    load_scenario_text,
    parse_file,
    parse_text,
)
from .model import Scenario
from .problems import Problem, ScenarioError
from .schema import scenario_json_schema

__all__ = [
    "MAX_BYTES", "Loaded", "Parsed", "Problem", "Scenario", "ScenarioError", "analyse", "build_from_data",
    "check_file", "check_text", "load", "load_scenario", "load_scenario_text", "parse_file", "parse_text",
    "scenario_json_schema",
]
