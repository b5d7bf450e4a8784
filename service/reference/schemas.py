from __future__ import annotations

from pydantic import BaseModel, Field


class OccupationPublic(BaseModel):
    code: str = Field(examples=["6-18-02-04"])
    name: str = Field(examples=["焊工"])
    level: int = Field(description="1 major, 2 medium, 3 minor group, 4 detailed occupation")
    parent: str | None = Field(examples=["6-18-02-00"])
    aliases: list[str] = Field(examples=[["焊工", "氩弧焊工"]])
    definition: str | None = None


class OccupationMatchPublic(BaseModel):
    code: str = Field(examples=["4-03-02-05"])
    name: str = Field(examples=["餐厅服务员"])
    level: int = Field(description="4 for a detailed occupation, 1-3 for a group")
    score: float = Field(ge=0, le=1, description="Confidence in [0, 1]")


class RegionPublic(BaseModel):
    adcode: str = Field(examples=["420102"])
    name: str = Field(examples=["江岸区"])
    full_name: str = Field(examples=["湖北省武汉市江岸区"])
    level: str = Field(examples=["district"])
    parent: str | None = Field(examples=["420100"])
    lat: float | None = Field(None, description="Centroid latitude")
    lon: float | None = Field(None, description="Centroid longitude")


class PriorityGroupsPublic(BaseModel):
    """The city's priority policy as configured in its policy file."""

    version: str
    groups: list[dict[str, object]]
    promises: list[dict[str, object]]
    reserved_posts: list[dict[str, object]]
    zeroing: list[str]
    equal_conditions_first: list[str]
    travel_defaults: dict[str, object]
