"""Pydantic models of problem files and answer files: the schema instructors write against."""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .check import TYPES, Status

Number = Union[int, float]
Array = list  # nested lists of numbers (vector or matrix)
Value = Union[Number, Array]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Draw(Strict):
    """How a parameter varies per student: exactly one of choice, range or uniform."""

    choice: list[Value] | None = Field(None, description="pick one of these values")
    range: tuple[int, int] | None = Field(None, description="an integer from lo to hi inclusive")
    step: int = Field(1, ge=1, description="step of an integer range")
    uniform: tuple[float, float] | None = Field(None, description="a real number from lo to hi")
    decimals: int = Field(2, ge=0, le=12, description="rounding of a uniform draw (shown and graded alike)")
    exclude: list[Number] = Field(default_factory=list, description="values never drawn")

    @model_validator(mode="after")
    def _one_kind(self):
        kinds = [k for k in ("choice", "range", "uniform") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a draw needs exactly one of: choice, range, uniform")
        if self.choice is not None and not self.choice:
            raise ValueError("choice needs at least one value")
        for lohi in (self.range, self.uniform):
            if lohi is not None and lohi[0] > lohi[1]:
                raise ValueError("the low end of a range must not exceed the high end")
        return self


class Param(Strict):
    """A published value, optionally drawn per student."""

    value: Value | str = Field(description="the published value (or an expression over earlier parameters)")
    draw: Draw | None = None


class Mistake(Strict):
    """A known wrong answer, recognised to give honest partial credit and feedback that teaches."""

    answer: str | Value = Field(description="expression over parameters and parts, or a value")
    credit: float = Field(0.0, ge=0.0, le=1.0)
    feedback: str


class Band(Strict):
    """Partial credit for a number outside the tolerance but inside this wider one."""

    rtol: float = Field(gt=0)
    credit: float = Field(ge=0.0, le=1.0)


class Part(Strict):
    """One graded answer of a problem."""

    type: str = Field(description="the answer type", json_schema_extra=lambda schema: schema.update(enum=list(TYPES)))
    prompt: str = ""
    points: float = Field(1.0, ge=0)
    bonus: bool = Field(False, description="extra credit: its points add to the score, not to the maximum")
    answer: str | Value | None = Field(
        None, description="canonical answer: an expression over parameters and earlier parts"
    )
    rtol: float | None = Field(None, ge=0, description="relative tolerance (default 1e-3)")
    atol: float | None = Field(None, ge=0, description="absolute tolerance (default: none, except 1e-8 for a canonical zero)")
    sigfigs: int | None = Field(None, ge=1, le=15, description="significant figures the answer must carry")
    decimals: int | None = Field(None, ge=0, le=15, description="decimal places the answer must carry")
    digits_credit: float = Field(0.5, ge=0, le=1, description="credit for the right value with too few digits")
    exact_digits: bool = Field(False, description="more figures/places than sigfigs/decimals ask get digits_credit")
    bands: list[Band] = Field(default_factory=list)
    credit: Literal["elementwise", "all"] = "all"
    vars: dict[str, str] = Field(default_factory=dict, description="names and kinds an expression may use")
    domain: dict[str, tuple[float, float]] = Field(default_factory=dict)
    prove: bool = Field(False, description="require symbolic confirmation of equivalence")
    feedback: Literal["full", "hints", "verdict"] | None = Field(
        None, description="how much automatic feedback says (default: the assignment's, else hints)")
    approximate: float | None = Field(
        None, gt=0, lt=1e-3, description="accept a decimal approximation of an exact answer within this relative tolerance")
    choices: list[str] | dict[str, str] | None = None
    carry_forward: float = Field(1.0, ge=0, le=1, description="credit for a right answer from wrong earlier parts")
    timeout: float = Field(2.0, gt=0, le=60, description="seconds one check may take")
    mistakes: list[Mistake] = Field(default_factory=list)

    @field_validator("vars", mode="before")
    @classmethod
    def _vars_list(cls, value):
        return {name: "real" for name in value} if isinstance(value, list) else value

    @field_validator("type")
    @classmethod
    def _registered(cls, value: str) -> str:
        """One of the registered answer types (grader.check), named as a Literal would name them."""
        if value not in TYPES:
            names = [repr(name) for name in TYPES]
            expected = f"{', '.join(names[:-1])} or {names[-1]}"
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
        return value

    @model_validator(mode="after")
    def _consistent(self):
        TYPES[self.type].validate(self)
        if self.sigfigs is not None and self.decimals is not None:
            raise ValueError("give sigfigs or decimals, not both")
        return self


class Solver(Strict):
    python: str = Field(description="file beside the problem defining solve(params) -> {part: value}")


class SelfTest(Strict):
    """An answer set and the outcome each part must get; run by `grade check`."""

    answers: dict[str, Any]
    expect: dict[str, Status]
    student: str | None = Field(None, description="grade against this student's variant (default: published)")


class Problem(Strict):
    title: str
    statement: str = ""
    params: dict[str, Param] = Field(default_factory=dict)
    parts: dict[str, Part]
    solver: Solver | None = None
    require: list[str] = Field(
        default_factory=list,
        description="conditions over parameters every student's draws must meet, e.g. 'h1 > 0'; "
                    "draws that break one are drawn again")
    tests: list[SelfTest] = Field(default_factory=list)

    @field_validator("params", mode="before")
    @classmethod
    def _wrap_params(cls, value):
        """`x = 1.0` is shorthand for `x = { value = 1.0 }`."""
        if not isinstance(value, dict):
            return value
        return {k: v if isinstance(v, dict) else {"value": v} for k, v in value.items()}

    @model_validator(mode="after")
    def _parts_present(self):
        if not self.parts:
            raise ValueError("a problem needs at least one part")
        return self

    @property
    def max_score(self) -> float:
        return sum(p.points for p in self.parts.values() if not p.bonus)


class AssignmentSettings(Strict):
    """problems/<assignment>/_assignment.toml: settings for a whole assignment (optional file)."""

    title: str = ""
    feedback: Literal["full", "hints", "verdict"] = Field(
        "hints", description="full: exact factors and constants; hints: the kind of slip only; verdict: none")
    published: list[str] = Field(
        default_factory=list,
        description="students graded against the published values instead of their own draws "
                    "(e.g. transcribed past submissions)",
    )

