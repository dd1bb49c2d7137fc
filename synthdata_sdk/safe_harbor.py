"""HIPAA Safe Harbor facts (45 CFR 164.514(b)(2)) that generation and the scanner share.

Generation keeps to them under the ``hipaa`` profile; the scanner's hipaa detectors judge by
them. One definition, so the two can never disagree. No imports: both sides load it cheaply.
"""

from __future__ import annotations

#: the oldest age Safe Harbor lets through; older ages fold into one "90 or older" category
MAX_AGE = 89
#: restricted ZIP3 prefixes (union of the 2000 and 2010 census lists): areas of 20,000 people
#: or fewer, whose ZIP3 must be shown as 000 (45 CFR 164.514(b)(2)(i)(B))
RESTRICTED_ZIP3 = frozenset(
    {
        *("036", "059", "063", "102", "203", "205", "369", "556", "692", "790"),
        *("821", "823", "830", "831", "878", "879", "884", "890", "893"),
    }
)
#: the lowest ZIP code USPS assigned: a full ZIP below it names no place
LOWEST_ZIP = "00501"
