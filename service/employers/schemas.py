from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from service.enums import CreditStatus
from service.schemas import Adcode, AddressText, CreditCode, MobilePhone, Name, StrictModel


class EmployerCreate(StrictModel):
    name: Name = Field(examples=["武汉江城汽车零部件有限公司"])
    credit_code: CreditCode | None = None
    industry: str | None = Field(None, max_length=100, examples=["汽车制造业"])
    adcode: Adcode | None = None
    address: AddressText | None = Field(None, examples=["武汉市蔡甸区常福工业园"])
    contact_phone: MobilePhone | None = None
    credit_status: CreditStatus = Field(
        CreditStatus.normal,
        description="normal, red_list (红名单), c_grade or wage_arrears_list (may not post)",
    )


class EmployerUpdate(StrictModel):
    name: Name | None = None
    credit_code: CreditCode | None = None
    industry: str | None = Field(None, max_length=100)
    adcode: Adcode | None = None
    address: AddressText | None = None
    contact_phone: MobilePhone | None = None
    credit_status: CreditStatus | None = None


class EmployerPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    credit_code: str | None
    industry: str | None
    adcode: str | None
    address: str | None
    contact_phone: str | None
    credit_status: CreditStatus
    created_at: datetime
    updated_at: datetime
