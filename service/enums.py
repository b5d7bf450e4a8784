"""Closed vocabularies of the API. Values are stored as plain strings in the database."""

from __future__ import annotations

from enum import StrEnum


class CreditStatus(StrEnum):
    normal = "normal"
    red_list = "red_list"  # 红名单: shown as trusted
    c_grade = "c_grade"  # C 级信用: may not post
    wage_arrears_list = "wage_arrears_list"  # 拖欠农民工工资严重失信主体名单: may not post


class StationKind(StrEnum):
    service_station = "service_station"  # 就业服务站 / 家门口就业服务站
    gig_station = "gig_station"  # 零工驿站 / 零工市场
    talent_station = "talent_station"  # 人才驿站 / 青年就业驿站
    veteran_station = "veteran_station"  # 退役军人服务站
    assistance_workshop = "assistance_workshop"  # 就业帮扶车间 / 工坊
    training_base = "training_base"  # 技能培训基地
    e_station = "e_station"  # 24 小时便民 e 站 (self-service kiosk)


class EmploymentType(StrEnum):
    full_time = "full_time"
    part_time = "part_time"
    gig = "gig"
    internship = "internship"
    public_welfare = "public_welfare"  # 公益性岗位


class SalaryUnit(StrEnum):
    month = "month"
    day = "day"
    hour = "hour"
    piece = "piece"


class PostingSource(StrEnum):
    employer = "employer"
    job_fair = "job_fair"
    gig_station = "gig_station"
    import_ = "import"


class PostingStatus(StrEnum):
    open = "open"
    filled = "filled"
    closed = "closed"
    rejected = "rejected"  # 未通过: a reject flag, or refused by staff review
    pending_review = "pending_review"  # 待审核: review flags only; held until staff decide


class ScreeningSeverity(StrEnum):
    reject = "reject"  # the posting may not be published
    review = "review"  # staff look before it is published


class ReviewDecision(StrEnum):
    release = "release"  # 放行: the posting opens
    reject = "reject"  # 驳回: the posting stays unpublished


class FeedOp(StrEnum):
    """What a partner does with an item of the posting change feed."""

    created = "created"  # new and public: add it
    updated = "updated"  # public: add or replace it (also the first sight of a released one)
    closed = "closed"  # no longer public (filled, withdrawn, held, rejected, barred): remove it
    deleted = "deleted"  # gone from the database: remove it


class OccupationDerivation(StrEnum):
    provided = "provided"  # the caller gave the code
    title = "title"  # derived from the title by the normaliser
    unresolved = "unresolved"  # no code given and none could be derived


class LocationPrecision(StrEnum):
    point = "point"  # coordinates given or geocoded to a point
    district = "district"  # only the district is known; coordinates are its centroid
    city = "city"  # only the city is known; coordinates are its centroid
    unknown = "unknown"


class Education(StrEnum):
    none = "none"  # 不限
    primary = "primary"  # 小学
    junior_high = "junior_high"  # 初中
    senior_high = "senior_high"  # 高中
    vocational = "vocational"  # 中专 / 技校 / 职高
    associate = "associate"  # 大专
    bachelor = "bachelor"  # 本科
    master = "master"  # 硕士
    doctorate = "doctorate"  # 博士


class TravelMode(StrEnum):
    walk = "walk"
    bike = "bike"
    ebike = "ebike"
    transit = "transit"
    drive = "drive"


class JobseekerStatus(StrEnum):
    seeking = "seeking"  # 求职中
    placed = "placed"  # 已就业
    inactive = "inactive"  # 暂不求职


class EventKind(StrEnum):
    job_fair = "job_fair"  # 招聘会
    special_recruitment = "special_recruitment"  # 专场招聘
    livestream = "livestream"  # 直播带岗
    campaign = "campaign"  # 招聘活动 / 专项行动


class RegistrationOutcome(StrEnum):
    registered = "registered"
    attended = "attended"
    intent = "intent"  # 意向
    hired = "hired"  # 录用


class RecommendationStatus(StrEnum):
    recommended = "recommended"
    contacted = "contacted"
    interviewed = "interviewed"
    hired = "hired"
    rejected = "rejected"
    declined = "declined"


class ChangeOp(StrEnum):
    created = "created"
    updated = "updated"
    deleted = "deleted"
