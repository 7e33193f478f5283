"""The words and shares of the demo's desk work: status paths, reasons, notes.

Data only; ``review`` draws from it.
"""

from __future__ import annotations

PATHS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.18, ()),
    (0.14, ("已报送",)),
    (0.08, ("已报送", "审核中")),
    (0.22, ("已报送", "已通过")),
    (0.10, ("已报送", "审核中", "已通过")),
    (0.10, ("已报送", "退回修改")),
    (0.08, ("已报送", "退回修改", "已报送")),
    (0.10, ("已报送", "已通过", "已修改")),
)
"""(share, steps) of the forms that exist: every status is reached, some the long way."""

RETURN_REASONS = (
    "第3行完成时间未填写，请补充",
    "标杆水平未注明数据来源",
    "提升措施过于笼统，请按年度细化",
    "落实部门未填写",
    "对标企业地址不全",
    "对比结果与标杆水平单位不一致",
)
APPROVAL_NOTES = ("", "", "同意", "材料齐全，同意", "对标充分")
HANDERS = ("质量部 张伟", "办公室 李静", "质管科 王芳", "技术部 刘洋", "总经理办公室 陈军")

DONE_SHARE = 0.30
IN_PROGRESS_SHARE = 0.20
DONE_NOTES = ("已验收", "已通过第三方检测", "设备已安装调试", "制度已发布实施", "")
PROMOTED_SHARE = 0.25
RECOMMENDED_SHARE = 0.15
