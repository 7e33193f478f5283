"""Demo data: realistic, repeatable Zhenjiang manufacturing enterprises for a fresh database.

Why this exists: an empty database shows nothing of the app. Officers trying it out, the
developers profiling the enterprise list and the screenshot/functional tests all need a few
dozen to a few thousand enterprises that look like the ones on the 2009 forms — names such as
镇江市长江电器设备厂 with polyphonic characters (so pinyin search is exercised), valid
统一社会信用代码 and 组织机构代码, 0511 landlines and mobiles written the ways officers write
them, 大类 codes that match the products. Everything comes from ``random.Random(seed)``s,
so the same seed gives the same content in the same order (only the uuid4 row ids differ).

The words and shares are tables apart from the generators that draw from them:
``enterprise_tables`` → ``enterprises``, ``item_tables`` → ``items``, ``review_tables`` →
``review`` (the desk work); ``fill`` runs them in one transaction.
"""

from duibiao_tui.demo.fill import DEFAULT_ENTERPRISES, REFERENCE_NAME, fill_demo

__all__ = ["DEFAULT_ENTERPRISES", "REFERENCE_NAME", "fill_demo"]
