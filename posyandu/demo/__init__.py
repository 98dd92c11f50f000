"""Demo and benchmark data (see ``posyandu.demo.generator``)."""

from posyandu.demo.generator import AreaPlan, AreaSummary, DemoLogin, generate_area, plan_area

__all__ = ["AreaPlan", "AreaSummary", "DemoLogin", "generate_area", "plan_area"]
