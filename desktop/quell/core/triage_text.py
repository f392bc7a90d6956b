"""Wording of the symptom check's result, kept apart so it can be reviewed and translated alone."""

from __future__ import annotations

import re

from quell.core.i18n import _

# Keyed by plain ids (level values, reason ids, answer names) rather than by the triage types so
# that quell.core.triage can import this module without a cycle. Every text is built inside a
# function, never at import time, so that _() sees the translator the app installs at start-up.
# Placeholders are filled by fill(), not str.format: a stray brace in a translation must never
# stop an emergency message from being shown.

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, **values: str) -> str:
    """*template* with each ``{name}`` replaced in one pass; unknown braces are left alone."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _with_number(text: str, emergency_number: str) -> str:
    return fill(text, number=emergency_number)


def action(level: str, emergency_number: str) -> str:
    """What to do, with its timeframe, in a few words the result page can show large."""
    texts = {
        "emergency": _(
            "Call emergency services now on {number}. Do not drive yourself. "
            "Call even if the symptoms have passed."
        ),
        "urgent_same_day": _(
            "Get medical help today: ask for a same-day appointment, or call the urgent care "
            "line if your doctor's surgery is closed."
        ),
        "prompt": _("See a doctor within the next few days."),
        "routine": _("Book a routine appointment with your doctor in the next few weeks."),
        "self_care": _(
            "Nothing in your answers needs a doctor right now, so self-care at home is the right "
            "next step."
        ),
    }
    return _with_number(texts[level], emergency_number)


def timeframe(level: str) -> str:
    """How soon, as a short label."""
    texts = {
        "emergency": _("Now, within minutes"),
        "urgent_same_day": _("Today, within hours"),
        "prompt": _("Within the next few days"),
        "routine": _("Within the next few weeks"),
        "self_care": _("At home, for now"),
    }
    return texts[level]


def reason(reason_id: str) -> str:
    """One sentence saying why a rule matters; each names what TRIAGE.md says it must."""
    texts = {
        # emergency
        "stroke_signs": _(
            "A face that droops suddenly, or sudden weakness, numbness on one side, trouble "
            "speaking, vision problems, a severe headache, confusion or loss of balance can be "
            "signs of a stroke, and every minute counts."
        ),
        "sudden_swallowing": _(
            "Trouble swallowing that starts suddenly can be a sign of a stroke."
        ),
        "choking": _("Choking, or not being able to swallow, needs help straight away."),
        "severe_breathing": _("Struggling to breathe needs help straight away."),
        "cauda_equina": _(
            "Numbness around your bottom or genitals, or a new change in bladder or bowel "
            "control, needs checking at once to protect the nerves at the base of the spine."
        ),
        # urgent_same_day
        "weakness_over_days": _(
            "Muscle weakness that is getting worse day by day needs checking today."
        ),
        "numbness_spreading": _(
            "Numbness or tingling that is spreading day by day needs checking today."
        ),
        "breathless_at_rest": _("Being short of breath while resting needs checking today."),
        "breathless_lying_flat_with_neuro": _(
            "Getting short of breath when lying flat, together with the muscle changes you "
            "describe, needs checking today."
        ),
        "possible_rhabdo": _(
            "Dark urine (brown or cola-coloured) or extreme muscle pain, especially after hard "
            "exercise, needs checking today, usually with a blood test."
        ),
        # prompt
        "weakness_gradual": _(
            "Weakness that has built up over weeks or months, such as trouble gripping, dropping "
            "things or struggling with stairs, is worth a doctor's examination."
        ),
        "speech_gradual": _(
            "A gradual change in your speech, such as slurring or a different-sounding voice, "
            "should be looked at."
        ),
        "swallowing_gradual": _("Swallowing that has slowly become harder should be looked at."),
        "wasting": _("Muscle wasting, where a muscle looks thinner or hollow, should be examined."),
        "tongue": _("Twitching of the tongue should be examined by a doctor."),
        "breathless_exertion_or_flat": _(
            "New shortness of breath when you are active or lying flat should be checked."
        ),
        "weight_loss_with_cramps_or_motor": _(
            "Losing weight without trying, together with cramps or muscle changes, should be "
            "looked into."
        ),
        "droop_or_double_vision": _(
            "A drooping eyelid or double vision that comes and goes should be checked."
        ),
        # routine
        "persistent_twitch": _("A twitch that has lasted more than 2 weeks is worth a check."),
        "multiple_places": _(
            "Twitching in more than one place, or that moves around, is worth a check."
        ),
        "numbness_stable": _(
            "Numbness or tingling that stays the same or comes and goes is worth a check."
        ),
        "stiffness": _("Muscles that feel stiff or tight are worth a check."),
        "medication": _(
            "A medicine may be playing a part. Ask your doctor or pharmacist, and do not stop a "
            "prescribed medicine without their advice."
        ),
        "family_history": _(
            "Tell your doctor about your family history of motor neurone disease (MND, also "
            "called ALS) so they can take it into account."
        ),
        "weight_loss": _("Losing weight without trying is worth a check."),
        "emotional_change": _(
            "Changes in mood or behaviour, such as laughing or crying that is hard to control, "
            "are worth a check."
        ),
        "frequent_cramps": _(
            "Frequent cramps, or cramps that disturb your sleep, are worth a check."
        ),
        "eyes_forced_shut": _("Eyelid spasms that squeeze your eyes shut are worth a check."),
    }
    return texts[reason_id]


def also_mention() -> str:
    """Introduces the reasons at lower levels than the winning one."""
    return _("Also mention to the doctor:")


def reassurance() -> str:
    return _(
        "Twitches are very common: about 7 in 10 healthy people notice them at some point, and "
        "they are usually harmless. Most settle on their own, and worrying tends to make them "
        "worse."
    )


def doctor_checked() -> str:
    return _(
        "A doctor has already examined these twitches and nothing new has appeared. Harmless "
        "twitching like this is called benign fasciculation, and a long-term Mayo Clinic "
        "follow-up of people with it found their twitches stayed harmless over the years. If "
        "anything new appears, such as spreading, weakness or muscle wasting, go back to your "
        "doctor."
    )


def trigger_tip(answer_name: str) -> str:
    """A tip for a trigger answered yes; each names its trigger as TRIAGE.md asks."""
    texts = {
        "trigger_stress_anxiety": _(
            "Stress and anxiety make nerves more excitable. Slow belly breathing, with a longer "
            "breath out than in, or a few minutes of relaxation can calm them."
        ),
        "trigger_caffeine_stimulants": _(
            "Caffeine makes nerves fire more easily: try cutting down on coffee, strong tea, "
            "cola and energy drinks, especially later in the day."
        ),
        "trigger_nicotine_alcohol": _(
            "Nicotine and alcohol both stir up the nervous system, so cutting down often helps."
        ),
        "trigger_hard_exercise": _(
            "Twitches often follow hard exercise: give those muscles rest, stretch them gently "
            "and drink water."
        ),
        "trigger_poor_sleep": _(
            "Aim for 7 to 9 hours of regular sleep; tired muscles and nerves twitch more easily."
        ),
        "trigger_dehydration_illness": _(
            "Drink fluids steadily through the day, especially while you are ill or it is hot."
        ),
    }
    return texts[answer_name]


def general_tips() -> str:
    # Food first and a blood test via a doctor: TRIAGE.md forbids suggesting self-supplementing.
    return _(
        "Gently stretching the twitching muscle can bring quick relief. Foods rich in magnesium "
        "and potassium, such as leafy greens, nuts, seeds and bananas, support your muscles; if "
        "you are worried your levels are low, a doctor can check them with a blood test."
    )


def after_exercise_weakness() -> str:
    return _(
        "Weakness after exercise that is already getting better usually just needs rest. Get "
        "medical help the same day if you notice dark urine (brown or cola-coloured) or extreme "
        "muscle pain."
    )


def safety_net(level: str, emergency_number: str) -> str:
    """What would change the answer, ending every message."""
    sudden = _(
        "If anything comes on suddenly, such as a drooping face, weakness on one side or "
        "struggling to breathe, call emergency services on {number}."
    )
    texts = {
        "emergency": _(
            "If you are not sure whether it is serious, call anyway: it is always right to call "
            "about these signs."
        ),
        "urgent_same_day": _(
            "If it gets worse while you wait, or you find it hard to breathe, swallow or speak, "
            "call emergency services on {number} straight away."
        ),
        "prompt": _(
            "If things get worse before then, or something new appears such as weakness or "
            "trouble speaking, swallowing or breathing, get help sooner."
        )
        + " "
        + sudden,
        "routine": _(
            "See a doctor sooner if you notice weakness, muscle wasting, or trouble speaking, "
            "swallowing or breathing."
        )
        + " "
        + sudden,
        "self_care": _(
            "See a doctor if the twitch lasts more than 2 weeks, spreads, or comes with weakness "
            "or muscle wasting."
        )
        + " "
        + sudden,
    }
    return _with_number(texts[level], emergency_number)


def disclaimer() -> str:
    """For the result and "About this check" pages."""
    return _(
        "This check is for adults (16 and over). It is not a diagnosis: it suggests how soon to "
        "get help, based on public guidance from the NHS and NICE."
    )


def fallback_emergency_number() -> str:
    return _("your local emergency number (112 works in many countries)")


# -- the emergency signs card (issue 11): reachable from anywhere, never behind a question -----

def emergency_signs_heading(emergency_number: str) -> str:
    """The card's first line: the action and its timeframe, with the locale's number."""
    return _with_number(_("Call emergency services now on {number} if you notice any of "
                          "these:"), emergency_number)


def emergency_signs() -> tuple[str, ...]:
    """The signs that mean calling at once (TRIAGE.md's emergency rules, in plain words)."""
    return (
        _("Sudden drooping of one side of the face"),
        _("Sudden weakness or numbness on one side of the body"),
        _("Sudden trouble speaking or swallowing"),
        _("Choking, or not being able to swallow at all"),
        _("Struggling to breathe"),
        _("New loss of bladder or bowel control with numbness around the bottom"),
    )


def emergency_signs_footer() -> tuple[str, ...]:
    """What goes with the call, and what is not one of the signs."""
    return (
        _("Do not drive yourself. Call even if it has passed."),
        _("Twitching on its own is not one of these signs."),
    )


# -- help for health anxiety (issue 11): signposted on the self-care result and "About" -------

def health_anxiety_help(region: str | None) -> str:
    """Where to get help when worry about one's health is hard to put down, for *region*
    (an ISO country code such as ``GB``; the NHS services exist only in the UK)."""
    if region == "GB":
        return _(
            "Worry about your health can be hard to put down, and it often comes with "
            "twitches. It can be helped: the NHS has a self-help guide to health anxiety "
            "(search for \u201chealth anxiety\u201d on nhs.uk). In England you can refer "
            "yourself to NHS Talking Therapies without seeing your GP first; elsewhere in the "
            "UK, your GP can refer you."
        )
    return _(
        "Worry about your health can be hard to put down, and it often comes with twitches. "
        "It can be helped: a doctor or psychologist can help with health anxiety, and "
        "talking therapies for it work well."
    )
