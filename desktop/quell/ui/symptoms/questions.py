"""The symptom check's questions in plain words, one topic per page, emergency screen first."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from quell.core.triage import ANSWER_KEYS, AnswerGroup


def _tr(text: str) -> str:
    """Translate text used outside a QObject (the context names this module)."""
    return QCoreApplication.translate("symptom_questions", text)


@dataclass(frozen=True)
class Option:
    """One value of a choice answer, said the way a person would say it."""

    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Question:
    """One answer key: a statement to tick (yes/no) or a prompt with options (choice)."""

    key: str
    label: str
    hint: str = ""
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Topic:
    """One page of the check: a title, a few plain words of help, and its questions."""

    name: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    examples: tuple[str, ...] = ()
    note: str = ""

    @property
    def group(self) -> AnswerGroup:
        return ANSWER_KEYS[self.questions[0].key].group


def topics() -> tuple[Topic, ...]:
    """Every page of questions, the emergency screen first (built now, so it is translated)."""
    sudden = _tr("“Sudden” means it came on within seconds or minutes, or was there when you "
                 "woke up, rather than building up over days.")
    return (
        Topic("sudden", _tr("Has anything come on suddenly?"), sudden, (
            Question("sudden_face_droop", _tr("One side of my face has suddenly drooped"),
                     _tr("For example a lopsided smile, or the corner of an eye or the mouth "
                         "hanging down.")),
            Question("sudden_other_neuro", _tr("Something else came on suddenly"),
                     _tr("Loss of sight or double vision, a very bad headache, confusion, or "
                         "losing your balance.")),
        )),
        Topic("speech", _tr("How is your speech?"),
              _tr("Think about how you speak compared with before the twitching started."), (
            Question("speech", "", options=(
                Option("normal", _tr("As usual")),
                Option("gradual_change", _tr("It has changed slowly, over weeks or months"),
                       _tr("Slurred or slower words, or a voice that sounds different.")),
                Option("sudden_change", _tr("It changed suddenly"),
                       _tr("Slurred or muddled words, or trouble finding words, out of the "
                           "blue.")),
            )),
        )),
        Topic("swallowing", _tr("How is swallowing?"),
              _tr("Eating and drinking, compared with before."), (
            Question("swallowing", "", options=(
                Option("normal", _tr("As usual")),
                Option("gradual_difficulty", _tr("It is slowly getting harder"),
                       _tr("Food or drink goes down the wrong way, or you cough while eating, "
                           "more often than before.")),
                Option("sudden_difficulty", _tr("It suddenly became difficult")),
                Option("choking_or_cannot_swallow", _tr("I am choking, or I cannot swallow")),
            )),
        )),
        Topic("breathing", _tr("How is your breathing?"),
              _tr("Being a little out of breath after running or climbing many stairs is "
                  "normal; think about what is new for you."), (
            Question("breathing", "", options=(
                Option("normal", _tr("As usual")),
                Option("breathless_on_exertion", _tr("Short of breath when I am active"),
                       _tr("More than before, for example on one flight of stairs.")),
                Option("breathless_lying_flat", _tr("Short of breath when I lie flat"),
                       _tr("Better when you sit up or use more pillows.")),
                Option("breathless_at_rest", _tr("Short of breath even when resting")),
                Option("struggling_to_breathe", _tr("I am struggling to breathe right now")),
            )),
        )),
        Topic("weakness", _tr("Is any muscle really weaker?"),
              _tr("Weakness means a muscle cannot do what it used to. For example, it is "
                  "harder than before to:"), (
            Question("weakness", "", options=(
                Option("none", _tr("No, I can do everything as usual")),
                Option("sudden", _tr("Yes, and it came on suddenly")),
                Option("worsening_over_days", _tr("Yes, and it is getting worse day by day")),
                Option("gradual_weeks_to_months",
                       _tr("Yes, it has built up slowly over weeks or months")),
                Option("after_exercise_improving",
                       _tr("Only after hard exercise, and it is getting better")),
            )),
        ), examples=(
            _tr("open jars, do up buttons or turn keys"),
            _tr("hold on to things without dropping them"),
            _tr("climb stairs or get up from a chair"),
            _tr("walk without a foot catching, so that you trip"),
        ), note=_tr("Feeling tired or “heavy” while you still manage everything counts as no.")),
        Topic("numbness", _tr("Any numbness or tingling?"),
              _tr("Pins and needles, or skin that feels dull or “dead” to the touch."), (
            Question("numbness", "", options=(
                Option("none", _tr("No")),
                Option("stable_or_comes_and_goes",
                       _tr("Yes, it stays the same or comes and goes")),
                Option("spreading_over_days", _tr("Yes, and it is spreading over days")),
                Option("sudden_one_side",
                       _tr("Yes, it came on suddenly, on one side of my body")),
            )),
        )),
        Topic("saddle", _tr("Bladder, bowel and the area you sit on"),
              _tr("These are rare, but important to ask about."), (
            Question("saddle_numbness_or_bladder_bowel_change",
                     _tr("I have numbness around my bottom or genitals, or a new problem "
                         "controlling my bladder or bowel"),
                     _tr("Including not being able to pee, or leaking when you did not "
                         "before.")),
        )),
        Topic("where", _tr("Where do you feel the twitching?"),
              _tr("Twitches are small flickers under the skin, often in an eyelid, a calf or "
                  "a thigh."), (
            Question("twitch_location", "", options=(
                Option("single_area", _tr("In one place"),
                       _tr("For example one calf, a thigh, or a thumb.")),
                Option("eyelid_only", _tr("Only in an eyelid")),
                Option("multiple_or_migrating", _tr("In more than one place, or it moves "
                                                    "around")),
            )),
            Question("tongue_twitching", _tr("My tongue twitches or ripples"),
                     _tr("You can check in a mirror, with your tongue resting in your mouth.")),
            Question("eyes_forced_shut", _tr("Eyelid spasms squeeze my eyes shut")),
        )),
        Topic("duration", _tr("How long have you had the twitching?"),
              _tr("Count from when you first noticed it, even if it comes and goes."), (
            Question("twitch_duration", "", options=(
                Option("under_2_weeks", _tr("Less than 2 weeks")),
                Option("2_weeks_to_3_months", _tr("2 weeks to 3 months")),
                Option("over_3_months", _tr("More than 3 months")),
            )),
        )),
        Topic("doctor", _tr("Has a doctor looked at it?"),
              _tr("Only tick this if nothing new, such as weakness or twitching in new places, "
                  "has appeared since."), (
            Question("doctor_checked_no_change",
                     _tr("A doctor has examined these twitches, and nothing new has appeared "
                         "since")),
        )),
        Topic("muscles", _tr("Your muscles"),
              _tr("Compare one side of your body with the other if you can."), (
            Question("muscle_wasting", _tr("A muscle looks thinner or hollow"),
                     _tr("For example the fleshy part between thumb and finger, or one calf "
                         "smaller than the other.")),
            Question("muscle_stiffness", _tr("My muscles feel stiff or tight"),
                     _tr("So that moving is harder, not just sore after exercise.")),
            Question("cramps", _tr("Cramps"), options=(
                Option("none", _tr("No cramps")),
                Option("occasional", _tr("Now and then")),
                Option("frequent_or_disturbing_sleep", _tr("Often, or they wake me at night")),
            )),
        )),
        Topic("other", _tr("Anything else you have noticed?"),
              _tr("Tick any that apply; leave the rest."), (
            Question("dark_urine_or_extreme_muscle_pain",
                     _tr("Dark urine, or extreme muscle pain"),
                     _tr("Urine the colour of cola or tea, or muscles that hurt far more than "
                         "after normal exercise.")),
            Question("unintentional_weight_loss", _tr("I have lost weight without trying")),
            Question("eyelid_droop_or_double_vision",
                     _tr("An eyelid droops, or I see double, and it comes and goes"),
                     _tr("Often worse later in the day or when tired.")),
            Question("emotional_or_behaviour_change",
                     _tr("My mood or behaviour has changed"),
                     _tr("For example laughing or crying that is hard to control, or others "
                         "say you are not yourself.")),
        )),
        Topic("family", _tr("Your family"), "", (
            Question("family_history_mnd",
                     _tr("A parent, brother or sister has had motor neurone disease"),
                     _tr("Also called MND or ALS. Leave this unticked if you are not sure.")),
        )),
        Topic("triggers", _tr("What might be setting them off?"),
              _tr("Tick anything that has been part of your life lately. These do not change "
                  "how urgent things are, but they shape the advice."), (
            Question("trigger_stress_anxiety", _tr("Stress or anxiety")),
            Question("trigger_caffeine_stimulants",
                     _tr("Coffee, strong tea, energy drinks or other stimulants")),
            Question("trigger_nicotine_alcohol", _tr("Smoking, vaping or alcohol")),
            Question("trigger_hard_exercise", _tr("Hard exercise or physical work")),
            Question("trigger_poor_sleep", _tr("Too little or poor sleep")),
            Question("trigger_dehydration_illness",
                     _tr("Not drinking enough, or a recent illness")),
        )),
        Topic("medicine", _tr("Medicines"),
              _tr("Some medicines can cause twitching as a side effect."), (
            Question("suspects_medication",
                     _tr("I think a medicine may be playing a part"),
                     _tr("For example one you started or changed around the time the "
                         "twitching began.")),
        )),
    )

