"""Notes for lead labels that were read as standard leads under another spelling.

Record construction already maps "avr", "Lead I" or "DII" to aVR, I and II; a note
says so when a file's labels are not the usual spelling (or its upper case), so the
clinician can check the leads were labelled as the reader assumed.
"""

from __future__ import annotations

from ecgviewer.core.readers.limits import excerpt
from ecgviewer.core.record import STANDARD_LEADS, normalise_lead_name

#: Lead numbers of SCP-ECG (its section 3), shared by DICOM's "5.6.3-9-N" and MDC "2:N" codes.
LEAD_BY_NUMBER = {
    1: "I", 2: "II", 61: "III", 62: "aVR", 63: "aVL", 64: "aVF",
    3: "V1", 4: "V2", 5: "V3", 6: "V4", 7: "V5", 8: "V6",
}


def renamed_leads_note(labels: list[str]) -> list[str]:
    """One note listing the labels read as a standard lead under another name, or none."""
    renamed = [f"{label.strip()} as {lead}" for label in labels
               if (lead := normalise_lead_name(label)) in STANDARD_LEADS
               and label.strip() not in (lead, lead.upper())]
    return [f"lead labels read as standard leads: {excerpt(', '.join(renamed), 200)}"] \
        if renamed else []
