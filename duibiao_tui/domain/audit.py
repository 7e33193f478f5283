"""Reading the audit log as an officer would: tables, fields and actions in words."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ACTIONS", "FIELDS", "TABLES", "AuditEntry"]

TABLES = {
    "enterprise": "企业",
    "benchmark_item": "对标项目",
    "submission": "报送审核",
    "recognition": "推介推荐",
    "campaign": "活动",
    "benchmark_enterprise": "标杆库",
    "setting": "设置",
}
ACTIONS = {
    "insert": "新增",
    "update": "修改",
    "delete": "删除",
    "restore": "恢复",
    "merge": "合并",
}
FIELDS = {
    # enterprise
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "org_code": "组织机构代码",
    "reg_no": "注册号",
    "district_id": "辖市区",
    "address": "地址",
    "industry_section": "门类",
    "industry_division": "行业大类",
    "industry_text": "所在行业（原文）",
    "main_products": "主导产品",
    "contact_name": "单位填报人",
    "phone_raw": "电话",
    "phone_e164": "电话（标准）",
    "phone_ext": "分机",
    "famous_brand": "名牌",
    "quality_award": "质量奖",
    "award_name": "奖项",
    "award_year": "获奖年份",
    "notes": "备注",
    # benchmark_item
    "seq": "序号",
    "benchmark_id": "标杆企业（库）",
    "benchmark_text": "标杆企业",
    "aspect": "项目",
    "aspect_other": "其他项目名称",
    "indicator": "指标内容",
    "benchmark_level": "标杆水平",
    "result_text": "对比结果",
    "verdict": "结论",
    "measures": "提升计划和措施",
    "department": "落实部门",
    "due_date": "完成时间（日期）",
    "due_text": "完成时间",
    "remarks": "备注",
    "measure_state": "落实情况",
    "done_date": "完成日期",
    "done_note": "完成说明",
    "flagged": "有问题",
    "flag_comment": "问题说明",
    "carried_over_from": "结转自",
    # submission
    "status": "状态",
    "received_date": "收到日期",
    "handed_in_by": "报送人",
    "copy_city": "市质量处份",
    "copy_district": "区质量科份",
    "reviewer": "审核人",
    "last_comment": "意见",
    # recognition
    "kind": "类别",
    "method": "推介方式",
    "event_date": "日期",
    "outcome": "结果",
    "score_edition": "评价准则版本",
    "scores": "自评分",
    "note": "说明",
}


@dataclass(frozen=True)
class AuditEntry:
    at: str
    officer: str
    table: str
    row_id: str
    action: str
    field: str | None
    old: str | None
    new: str | None
    subject: str
    """Which record, in words: the enterprise, 第3行 数控化率, 报送审核…"""

    @property
    def what(self) -> str:
        return (
            f"{TABLES.get(self.table, self.table)}·{self.subject}"
            if self.subject
            else (TABLES.get(self.table, self.table))
        )

    @property
    def change(self) -> str:
        action = ACTIONS.get(self.action, self.action)
        if not self.field:
            return action
        label = FIELDS.get(self.field, self.field)
        old = "（空）" if self.old in (None, "") else self.old
        new = "（空）" if self.new in (None, "") else self.new
        return f"{action} {label}：{old} → {new}"
