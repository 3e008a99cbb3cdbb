"""What Assist says back, per language: plain templates, one table a language.

Each language has the same keys. Templates use str.format fields; nouns that
take a number have a (singular, plural) pair. English builds "a 5 kilometre
run" with its own article rule (voice.py); the other languages say the
activity first ("Lauf gespeichert: 5 Kilometer in 30 Minuten").
"""

from __future__ import annotations

from typing import Final

from ..core.models import Activity

FALLBACK: Final = "en"

Table = dict[str, str | tuple[str, str] | dict[str, str]]

_EN: Table = {
    "decimal": ".",
    "week": ("week", "weeks"),
    "run": ("run", "runs"),
    "more_run": ("more run", "more runs"),
    "minute": ("minute", "minutes"),
    "hour": ("hour", "hours"),
    "day": ("day", "days"),
    "km": ("kilometre", "kilometres"),
    "mi": ("mile", "miles"),
    "m": ("metre", "metres"),
    "activity": {
        Activity.RUN: "run",
        Activity.WALK: "walk",
        Activity.HIKE: "hike",
        Activity.CYCLE: "bike ride",
        Activity.SWIM: "swim",
        Activity.YOGA: "yoga session",
        Activity.DANCE: "dance",
        Activity.STRENGTH: "strength session",
        Activity.OTHER: "activity",
    },
    "weekday": {
        "0": "Monday",
        "1": "Tuesday",
        "2": "Wednesday",
        "3": "Thursday",
        "4": "Friday",
        "5": "Saturday",
        "6": "Sunday",
    },
    "today": "today",
    "tomorrow": "tomorrow",
    "yesterday": " yesterday",
    "on_day": " on {day}",
    "logged": "Logged {what}{whose}{when}{mood}.",
    "whose": " for {name}",
    "mood_part": " and a mood of {mood} out of 10",
    "progress": "That's {runs} of {goal} this week.",
    "progress_met": "That's {runs} of {goal} this week. Weekly goal reached!",
    "progress_more": "That's {runs} this week, more than your goal of {goal}.",
    "mood_logged": "Logged your mood as {mood} out of 10.",
    "mood_logged_named": "Logged {name}'s mood as {mood} out of 10.",
    "ask_mood": "From 1 to 10, how are you feeling?",
    "ask_mood_named": "From 1 to 10, how is {name} feeling?",
    "no_question": (
        "I didn't ask for a number. To log your mood, say for example “my mood is 7”."
    ),
    "undone": "Removed {what}.",
    "undone_mood": "the mood of {mood} out of 10",
    "undone_plan": "the planned run on {day} at {time}",
    "nothing_to_undo": "There is nothing recent to undo.",
    "undo_refused": "Only {name}, or an administrator, can remove {name}'s records.",
    "distance_week": "{you} covered {distance} this week.",
    "distance_none": "No distance is logged this week yet.",
    "duration_week": "{you} spent {duration} on counted activities this week.",
    "duration_none": "No time is logged this week yet.",
    "you_have": "You've",
    "name_has": "{name} has",
    "ran_today": "Yes, {you} run today.",
    "not_ran_today": "Not yet: no run logged today.",
    "mood_score": "The mood score is {score} out of 10 over the last 7 days.",
    "mood_score_none": "No mood is logged in the last 7 days.",
    "mood_lift_up": "Runs lift the mood by {lift} points on average over 30 days.",
    "mood_lift_down": (
        "The mood after a run is {lift} points lower than before, on average "
        "over 30 days."
    ),
    "mood_lift_same": "The mood is about the same before and after runs.",
    "mood_lift_none": (
        "No session in the last 30 days has a mood before and after. "
        "Log both to see the lift."
    ),
    "on_track_met": "Yes: {runs} of {goal} this week, the goal is reached.",
    "on_track": "Yes, on track: {left} to go, with {days} left this week.",
    "off_track": "Behind: {left} to go, but only {days} left this week.",
    "longest": "The longest streak is {weeks}, and the longest day streak {days}.",
    "streak_none": (
        "You have no streak yet. Reach your goal of {goal} this week to start one."
    ),
    "streak": "Your streak is {weeks}.",
    "streak_left": " {left} this week will keep it going.",
    "week_more": "You've done {runs} runs this week, more than your goal of {goal}.",
    "week_runs": "You've done {runs} of {goal} this week.",
    "week_distance": " That's {distance} in total.",
    "goal_reached": " Weekly goal reached!",
    "next_none": "No run is planned.",
    "next": "Your next run is {day} at {time}.",
}

_DE: Table = {
    "decimal": ",",
    "week": ("Woche", "Wochen"),
    "run": ("Lauf", "Läufen"),
    "more_run": ("weiterer Lauf", "weitere Läufe"),
    "minute": ("Minute", "Minuten"),
    "hour": ("Stunde", "Stunden"),
    "day": ("Tag", "Tage"),
    "km": ("Kilometer", "Kilometer"),
    "mi": ("Meile", "Meilen"),
    "m": ("Meter", "Meter"),
    "activity": {
        Activity.RUN: "Lauf",
        Activity.WALK: "Spaziergang",
        Activity.HIKE: "Wanderung",
        Activity.CYCLE: "Radtour",
        Activity.SWIM: "Schwimmen",
        Activity.YOGA: "Yoga",
        Activity.DANCE: "Tanzen",
        Activity.STRENGTH: "Krafttraining",
        Activity.OTHER: "Aktivität",
    },
    "weekday": {
        "0": "Montag",
        "1": "Dienstag",
        "2": "Mittwoch",
        "3": "Donnerstag",
        "4": "Freitag",
        "5": "Samstag",
        "6": "Sonntag",
    },
    "today": "heute",
    "tomorrow": "morgen",
    "yesterday": " von gestern",
    "on_day": " vom {day}",
    "logged": "{what}{when}{whose} gespeichert{details}{mood}.",
    "whose": " für {name}",
    "mood_part": ", Stimmung {mood} von 10",
    "progress": "Das ist Nummer {runs} von {goal} diese Woche.",
    "progress_met": "Das ist Nummer {runs} von {goal} diese Woche. Wochenziel erreicht!",
    "progress_more": "Das sind {runs} diese Woche, mehr als das Ziel von {goal}.",
    "mood_logged": "Stimmung gespeichert: {mood} von 10.",
    "mood_logged_named": "Stimmung für {name} gespeichert: {mood} von 10.",
    "ask_mood": "Von 1 bis 10, wie geht es dir?",
    "ask_mood_named": "Von 1 bis 10, wie geht es {name}?",
    "no_question": (
        "Ich habe nach keiner Zahl gefragt. Sag zum Beispiel „meine Stimmung ist 7“."
    ),
    "undone": "Entfernt: {what}.",
    "undone_mood": "Stimmung {mood} von 10",
    "undone_plan": "geplanter Lauf am {day} um {time}",
    "nothing_to_undo": "Es gibt nichts Neues zum Rückgängigmachen.",
    "undo_refused": (
        "Nur {name} oder ein Administrator kann Einträge von {name} entfernen."
    ),
    "distance_week": "{you} diese Woche {distance} geschafft.",
    "distance_none": "Diese Woche ist noch keine Strecke eingetragen.",
    "duration_week": "{you} diese Woche {duration} trainiert.",
    "duration_none": "Diese Woche ist noch keine Zeit eingetragen.",
    "you_have": "Du hast",
    "name_has": "{name} hat",
    "ran_today": "Ja, heute ist ein Lauf eingetragen.",
    "not_ran_today": "Noch nicht: heute ist kein Lauf eingetragen.",
    "mood_score": "Die Stimmung liegt in den letzten 7 Tagen bei {score} von 10.",
    "mood_score_none": "In den letzten 7 Tagen ist keine Stimmung eingetragen.",
    "mood_lift_up": "Läufe heben die Stimmung im Schnitt um {lift} Punkte (30 Tage).",
    "mood_lift_down": (
        "Nach einem Lauf ist die Stimmung im Schnitt {lift} Punkte niedriger "
        "als davor (30 Tage)."
    ),
    "mood_lift_same": "Die Stimmung ist vor und nach dem Laufen etwa gleich.",
    "mood_lift_none": (
        "In den letzten 30 Tagen hat kein Training eine Stimmung davor und danach."
    ),
    "on_track_met": "Ja: {runs} von {goal} diese Woche, das Ziel ist erreicht.",
    "on_track": "Ja, im Plan: noch {left}, und es bleiben {days} diese Woche.",
    "off_track": "Im Rückstand: noch {left}, aber nur noch {days} diese Woche.",
    "longest": "Die längste Serie ist {weeks}, die längste Tagesserie {days}.",
    "streak_none": (
        "Noch keine Serie. Schaffe diese Woche dein Ziel von {goal}, um eine "
        "zu beginnen."
    ),
    "streak": "Deine Serie: {weeks}.",
    "streak_left": " Noch {left} diese Woche halten sie am Leben.",
    "week_more": "Diese Woche {runs} Läufe, mehr als dein Ziel von {goal}.",
    "week_runs": "Diese Woche {runs} von {goal}.",
    "week_distance": " Insgesamt {distance}.",
    "goal_reached": " Wochenziel erreicht!",
    "next_none": "Es ist kein Lauf geplant.",
    "next": "Dein nächster Lauf ist {day} um {time} Uhr.",
}

_NL: Table = {
    "decimal": ",",
    "week": ("week", "weken"),
    "run": ("run", "runs"),
    "more_run": ("run", "runs"),
    "minute": ("minuut", "minuten"),
    "hour": ("uur", "uur"),
    "day": ("dag", "dagen"),
    "km": ("kilometer", "kilometer"),
    "mi": ("mijl", "mijl"),
    "m": ("meter", "meter"),
    "activity": {
        Activity.RUN: "Hardlooprondje",
        Activity.WALK: "Wandeling",
        Activity.HIKE: "Hike",
        Activity.CYCLE: "Fietstocht",
        Activity.SWIM: "Zwemmen",
        Activity.YOGA: "Yoga",
        Activity.DANCE: "Dansen",
        Activity.STRENGTH: "Krachttraining",
        Activity.OTHER: "Activiteit",
    },
    "weekday": {
        "0": "maandag",
        "1": "dinsdag",
        "2": "woensdag",
        "3": "donderdag",
        "4": "vrijdag",
        "5": "zaterdag",
        "6": "zondag",
    },
    "today": "vandaag",
    "tomorrow": "morgen",
    "yesterday": " van gisteren",
    "on_day": " van {day}",
    "logged": "{what}{when}{whose} opgeslagen{details}{mood}.",
    "whose": " voor {name}",
    "mood_part": ", stemming {mood} op 10",
    "progress": "Dat is {runs} van de {goal} deze week.",
    "progress_met": "Dat is {runs} van de {goal} deze week. Weekdoel gehaald!",
    "progress_more": "Dat zijn er {runs} deze week, meer dan je doel van {goal}.",
    "mood_logged": "Stemming opgeslagen: {mood} op 10.",
    "mood_logged_named": "Stemming voor {name} opgeslagen: {mood} op 10.",
    "ask_mood": "Van 1 tot 10, hoe voel je je?",
    "ask_mood_named": "Van 1 tot 10, hoe voelt {name} zich?",
    "no_question": (
        "Ik vroeg niet om een getal. Zeg bijvoorbeeld „mijn stemming is 7”."
    ),
    "undone": "Verwijderd: {what}.",
    "undone_mood": "stemming {mood} op 10",
    "undone_plan": "geplande run op {day} om {time}",
    "nothing_to_undo": "Er is niets recents om ongedaan te maken.",
    "undo_refused": (
        "Alleen {name} of een beheerder kan de gegevens van {name} verwijderen."
    ),
    "distance_week": "{you} deze week {distance} afgelegd.",
    "distance_none": "Er is deze week nog geen afstand opgeslagen.",
    "duration_week": "{you} deze week {duration} getraind.",
    "duration_none": "Er is deze week nog geen tijd opgeslagen.",
    "you_have": "Je hebt",
    "name_has": "{name} heeft",
    "ran_today": "Ja, er is vandaag een run opgeslagen.",
    "not_ran_today": "Nog niet: vandaag is er geen run opgeslagen.",
    "mood_score": "De stemming is {score} op 10 over de laatste 7 dagen.",
    "mood_score_none": "Er is de laatste 7 dagen geen stemming opgeslagen.",
    "mood_lift_up": "Hardlopen verbetert de stemming gemiddeld met {lift} punten.",
    "mood_lift_down": (
        "Na het hardlopen is de stemming gemiddeld {lift} punten lager dan ervoor."
    ),
    "mood_lift_same": "De stemming is voor en na het hardlopen ongeveer gelijk.",
    "mood_lift_none": (
        "Geen training in de laatste 30 dagen heeft een stemming ervoor en erna."
    ),
    "on_track_met": "Ja: {runs} van de {goal} deze week, het doel is gehaald.",
    "on_track": "Ja, op schema: nog {left}, en er zijn nog {days} deze week.",
    "off_track": "Achter op schema: nog {left}, maar nog maar {days} deze week.",
    "longest": "De langste reeks is {weeks}, de langste dagenreeks {days}.",
    "streak_none": (
        "Je hebt nog geen reeks. Haal deze week je doel van {goal} om er een te "
        "beginnen."
    ),
    "streak": "Je reeks is {weeks}.",
    "streak_left": " Nog {left} deze week houdt hem in stand.",
    "week_more": "Je hebt deze week {runs} runs gedaan, meer dan je doel van {goal}.",
    "week_runs": "Je hebt deze week {runs} van de {goal} gedaan.",
    "week_distance": " Samen {distance}.",
    "goal_reached": " Weekdoel gehaald!",
    "next_none": "Er is geen run gepland.",
    "next": "Je volgende run is {day} om {time}.",
}

_FR: Table = {
    "decimal": ",",
    "week": ("semaine", "semaines"),
    "run": ("course", "courses"),
    "more_run": ("course", "courses"),
    "minute": ("minute", "minutes"),
    "hour": ("heure", "heures"),
    "day": ("jour", "jours"),
    "km": ("kilomètre", "kilomètres"),
    "mi": ("mile", "miles"),
    "m": ("mètre", "mètres"),
    # All feminine, so "enregistrée" agrees with each.
    "activity": {
        Activity.RUN: "Course",
        Activity.WALK: "Marche",
        Activity.HIKE: "Randonnée",
        Activity.CYCLE: "Sortie à vélo",
        Activity.SWIM: "Séance de natation",
        Activity.YOGA: "Séance de yoga",
        Activity.DANCE: "Séance de danse",
        Activity.STRENGTH: "Séance de renforcement",
        Activity.OTHER: "Activité",
    },
    "weekday": {
        "0": "lundi",
        "1": "mardi",
        "2": "mercredi",
        "3": "jeudi",
        "4": "vendredi",
        "5": "samedi",
        "6": "dimanche",
    },
    "today": "aujourd'hui",
    "tomorrow": "demain",
    "yesterday": " d'hier",
    "on_day": " de {day}",
    "logged": "{what}{when} enregistrée{whose}{details}{mood}.",
    "whose": " pour {name}",
    "mood_part": ", humeur {mood} sur 10",
    "progress": "Ça fait {runs} sur {goal} cette semaine.",
    "progress_met": "Ça fait {runs} sur {goal} cette semaine. Objectif atteint !",
    "progress_more": "Ça fait {runs} cette semaine, plus que l'objectif de {goal}.",
    "mood_logged": "Humeur enregistrée : {mood} sur 10.",
    "mood_logged_named": "Humeur de {name} enregistrée : {mood} sur 10.",
    "ask_mood": "De 1 à 10, comment te sens-tu ?",
    "ask_mood_named": "De 1 à 10, comment se sent {name} ?",
    "no_question": (
        "Je n'ai pas demandé de nombre. Dis par exemple « mon humeur est à 7 »."
    ),
    "undone": "Supprimé : {what}.",
    "undone_mood": "humeur {mood} sur 10",
    "undone_plan": "course prévue le {day} à {time}",
    "nothing_to_undo": "Il n'y a rien de récent à annuler.",
    "undo_refused": (
        "Seul {name} ou un administrateur peut supprimer les données de {name}."
    ),
    "distance_week": "{you} parcouru {distance} cette semaine.",
    "distance_none": "Aucune distance enregistrée cette semaine.",
    "duration_week": "{you} fait {duration} d'activité cette semaine.",
    "duration_none": "Aucun temps enregistré cette semaine.",
    "you_have": "Tu as",
    "name_has": "{name} a",
    "ran_today": "Oui, une course est enregistrée aujourd'hui.",
    "not_ran_today": "Pas encore : aucune course enregistrée aujourd'hui.",
    "mood_score": "L'humeur moyenne est de {score} sur 10 sur les 7 derniers jours.",
    "mood_score_none": "Aucune humeur enregistrée ces 7 derniers jours.",
    "mood_lift_up": "Courir améliore l'humeur de {lift} points en moyenne.",
    "mood_lift_down": (
        "Après une course, l'humeur est en moyenne {lift} points plus basse qu'avant."
    ),
    "mood_lift_same": "L'humeur est à peu près la même avant et après la course.",
    "mood_lift_none": (
        "Aucune séance des 30 derniers jours n'a d'humeur avant et après."
    ),
    "on_track_met": "Oui : {runs} sur {goal} cette semaine, objectif atteint.",
    "on_track": "Oui, dans les temps : encore {left}, et il reste {days}.",
    "off_track": "En retard : encore {left}, mais il ne reste que {days}.",
    "longest": "La plus longue série est de {weeks}, et de {days} en jours.",
    "streak_none": (
        "Pas encore de série. Atteins ton objectif de {goal} cette semaine pour "
        "en commencer une."
    ),
    "streak": "Ta série est de {weeks}.",
    "streak_left": " Encore {left} cette semaine pour la continuer.",
    "week_more": "{runs} courses cette semaine, plus que ton objectif de {goal}.",
    "week_runs": "{runs} sur {goal} cette semaine.",
    "week_distance": " Au total {distance}.",
    "goal_reached": " Objectif atteint !",
    "next_none": "Aucune course n'est prévue.",
    "next": "Ta prochaine course est {day} à {time}.",
}

_ES: Table = {
    "decimal": ",",
    "week": ("semana", "semanas"),
    "run": ("carrera", "carreras"),
    "more_run": ("carrera", "carreras"),
    "minute": ("minuto", "minutos"),
    "hour": ("hora", "horas"),
    "day": ("día", "días"),
    "km": ("kilómetro", "kilómetros"),
    "mi": ("milla", "millas"),
    "m": ("metro", "metros"),
    # All feminine, so "registrada" agrees with each.
    "activity": {
        Activity.RUN: "Carrera",
        Activity.WALK: "Caminata",
        Activity.HIKE: "Excursión",
        Activity.CYCLE: "Salida en bici",
        Activity.SWIM: "Sesión de natación",
        Activity.YOGA: "Sesión de yoga",
        Activity.DANCE: "Sesión de baile",
        Activity.STRENGTH: "Sesión de fuerza",
        Activity.OTHER: "Actividad",
    },
    "weekday": {
        "0": "lunes",
        "1": "martes",
        "2": "miércoles",
        "3": "jueves",
        "4": "viernes",
        "5": "sábado",
        "6": "domingo",
    },
    "today": "hoy",
    "tomorrow": "mañana",
    "yesterday": " de ayer",
    "on_day": " del {day}",
    "logged": "{what}{when} registrada{whose}{details}{mood}.",
    "whose": " para {name}",
    "mood_part": ", ánimo {mood} de 10",
    "progress": "Llevas {runs} de {goal} esta semana.",
    "progress_met": "Llevas {runs} de {goal} esta semana. ¡Objetivo cumplido!",
    "progress_more": "Llevas {runs} esta semana, más que tu objetivo de {goal}.",
    "mood_logged": "Ánimo registrado: {mood} de 10.",
    "mood_logged_named": "Ánimo de {name} registrado: {mood} de 10.",
    "ask_mood": "Del 1 al 10, ¿cómo te sientes?",
    "ask_mood_named": "Del 1 al 10, ¿cómo se siente {name}?",
    "no_question": ("No he preguntado ningún número. Di por ejemplo «mi ánimo es 7»."),
    "undone": "Eliminado: {what}.",
    "undone_mood": "ánimo {mood} de 10",
    "undone_plan": "carrera planificada el {day} a las {time}",
    "nothing_to_undo": "No hay nada reciente que deshacer.",
    "undo_refused": (
        "Solo {name} o un administrador puede borrar los registros de {name}."
    ),
    "distance_week": "{you} recorrido {distance} esta semana.",
    "distance_none": "Esta semana aún no hay distancia registrada.",
    "duration_week": "{you} entrenado {duration} esta semana.",
    "duration_none": "Esta semana aún no hay tiempo registrado.",
    "you_have": "Has",
    "name_has": "{name} ha",
    "ran_today": "Sí, hoy hay una carrera registrada.",
    "not_ran_today": "Todavía no: hoy no hay ninguna carrera registrada.",
    "mood_score": "El ánimo medio es {score} de 10 en los últimos 7 días.",
    "mood_score_none": "No hay ánimo registrado en los últimos 7 días.",
    "mood_lift_up": "Correr sube el ánimo {lift} puntos de media.",
    "mood_lift_down": "Después de correr, el ánimo baja {lift} puntos de media.",
    "mood_lift_same": "El ánimo es más o menos igual antes y después de correr.",
    "mood_lift_none": (
        "Ninguna sesión de los últimos 30 días tiene ánimo antes y después."
    ),
    "on_track_met": "Sí: {runs} de {goal} esta semana, objetivo cumplido.",
    "on_track": "Sí, vas bien: faltan {left} y quedan {days}.",
    "off_track": "Vas con retraso: faltan {left} y solo quedan {days}.",
    "longest": "La racha más larga es de {weeks}, y en días de {days}.",
    "streak_none": (
        "Aún no tienes racha. Cumple tu objetivo de {goal} esta semana para "
        "empezar una."
    ),
    "streak": "Tu racha es de {weeks}.",
    "streak_left": " {left} más esta semana la mantienen.",
    "week_more": "Llevas {runs} carreras esta semana, más que tu objetivo de {goal}.",
    "week_runs": "Llevas {runs} de {goal} esta semana.",
    "week_distance": " En total {distance}.",
    "goal_reached": " ¡Objetivo cumplido!",
    "next_none": "No hay ninguna carrera planificada.",
    "next": "Tu próxima carrera es {day} a las {time}.",
}

# Third edition: who is speaking, follow-up questions, confirmations.
_SPEAKER: Final[dict[str, Table]] = {
    "en": {
        "or": "or",
        "who": "Who is this for, {names}?",
        "no_profile": "No Run Wellbeing profile is set up yet.",
        "unknown_profile": (
            "There is no Run Wellbeing profile called {name}. The profiles are {names}."
        ),
        "not_linked": (
            "The only Run Wellbeing profile belongs to {name}, and it is not "
            "linked to you."
        ),
        "no_who": "I didn't ask whose this is. Say for example “Alex ran 5k”.",
        "ask_mood_after": " How do you feel now, from 1 to 10?",
        "ask_mood_after_named": " How does {name} feel now, from 1 to 10?",
        "mood_after_logged": "Noted: feeling {mood} out of 10 after the {what}.",
        "mood_after_logged_named": (
            "Noted: {name} feels {mood} out of 10 after the {what}."
        ),
        "confirm_distance": "{amount}? Say yes to log it.",
        "confirm_duration": "{amount}? Say yes to log it.",
        "nothing_to_confirm": "There is nothing waiting to be confirmed.",
        "kept": "",
    },
    "de": {
        "or": "oder",
        "who": "Für wen ist das, {names}?",
        "no_profile": "Es ist noch kein Run-Wellbeing-Profil eingerichtet.",
        "unknown_profile": (
            "Es gibt kein Run-Wellbeing-Profil namens {name}. Die Profile sind {names}."
        ),
        "not_linked": (
            "Das einzige Run-Wellbeing-Profil gehört {name} und ist nicht mit "
            "dir verknüpft."
        ),
        "no_who": "Ich habe nicht gefragt, für wen. Sag zum Beispiel „Alex ist 5 km gelaufen“.",
        "ask_mood_after": " Wie fühlst du dich jetzt, von 1 bis 10?",
        "ask_mood_after_named": " Wie fühlt sich {name} jetzt, von 1 bis 10?",
        "mood_after_logged": "Notiert: {mood} von 10 nach dem Training.",
        "mood_after_logged_named": "Notiert: {name} fühlt sich {mood} von 10 nach dem Training.",
        "confirm_distance": "{amount}? Sag ja, dann speichere ich es.",
        "confirm_duration": "{amount}? Sag ja, dann speichere ich es.",
        "nothing_to_confirm": "Es gibt nichts zu bestätigen.",
        "kept": "",
    },
    "nl": {
        "or": "of",
        "who": "Voor wie is dit, {names}?",
        "no_profile": "Er is nog geen Run Wellbeing-profiel ingesteld.",
        "unknown_profile": (
            "Er is geen Run Wellbeing-profiel met de naam {name}. De profielen "
            "zijn {names}."
        ),
        "not_linked": (
            "Het enige Run Wellbeing-profiel is van {name} en is niet aan jou "
            "gekoppeld."
        ),
        "no_who": "Ik vroeg niet voor wie. Zeg bijvoorbeeld „Alex heeft 5 km gelopen”.",
        "ask_mood_after": " Hoe voel je je nu, van 1 tot 10?",
        "ask_mood_after_named": " Hoe voelt {name} zich nu, van 1 tot 10?",
        "mood_after_logged": "Genoteerd: {mood} uit 10 na de training.",
        "mood_after_logged_named": "Genoteerd: {name} voelt zich {mood} uit 10 na de training.",
        "confirm_distance": "{amount}? Zeg ja om het op te slaan.",
        "confirm_duration": "{amount}? Zeg ja om het op te slaan.",
        "nothing_to_confirm": "Er is niets om te bevestigen.",
        "kept": "",
    },
    "fr": {
        "or": "ou",
        "who": "C'est pour qui, {names} ?",
        "no_profile": "Aucun profil Run Wellbeing n'est encore configuré.",
        "unknown_profile": (
            "Il n'y a pas de profil Run Wellbeing nommé {name}. Les profils sont "
            "{names}."
        ),
        "not_linked": (
            "Le seul profil Run Wellbeing appartient à {name} et n'est pas lié à vous."
        ),
        "no_who": "Je n'ai pas demandé pour qui. Dites par exemple « Alex a couru 5 km ».",
        "ask_mood_after": " Comment vous sentez-vous maintenant, de 1 à 10 ?",
        "ask_mood_after_named": " Comment se sent {name} maintenant, de 1 à 10 ?",
        "mood_after_logged": "Noté : {mood} sur 10 après la séance.",
        "mood_after_logged_named": "Noté : {name} se sent à {mood} sur 10 après la séance.",
        "confirm_distance": "{amount} ? Dites oui pour l'enregistrer.",
        "confirm_duration": "{amount} ? Dites oui pour l'enregistrer.",
        "nothing_to_confirm": "Il n'y a rien à confirmer.",
        "kept": "",
    },
    "es": {
        "or": "o",
        "who": "¿Para quién es, {names}?",
        "no_profile": "Todavía no hay ningún perfil de Run Wellbeing.",
        "unknown_profile": (
            "No hay ningún perfil de Run Wellbeing llamado {name}. Los perfiles "
            "son {names}."
        ),
        "not_linked": (
            "El único perfil de Run Wellbeing es de {name} y no está vinculado a ti."
        ),
        "no_who": "No pregunté para quién. Di por ejemplo «Alex corrió 5 km».",
        "ask_mood_after": " ¿Cómo te sientes ahora, del 1 al 10?",
        "ask_mood_after_named": " ¿Cómo se siente {name} ahora, del 1 al 10?",
        "mood_after_logged": "Anotado: {mood} de 10 después del entrenamiento.",
        "mood_after_logged_named": "Anotado: {name} se siente {mood} de 10 después del entrenamiento.",
        "confirm_distance": "¿{amount}? Di sí para guardarlo.",
        "confirm_duration": "¿{amount}? Di sí para guardarlo.",
        "nothing_to_confirm": "No hay nada que confirmar.",
        "kept": "",
    },
}
for _code, _table in (("en", _EN), ("de", _DE), ("nl", _NL), ("fr", _FR), ("es", _ES)):
    _table.update(_SPEAKER[_code])

TABLES: Final[dict[str, Table]] = {
    "en": _EN,
    "de": _DE,
    "nl": _NL,
    "fr": _FR,
    "es": _ES,
}


def table(language: str | None) -> Table:
    """Return the replies for a language such as "de" or "de-CH", else English."""
    return TABLES.get((language or FALLBACK).split("-", 1)[0].lower(), _EN)


def is_english(language: str | None) -> bool:
    """Return whether replies in this language are English (the fallback)."""
    return table(language) is _EN


def names_said(language: str | None, names: list[str]) -> str:
    """Return names as a list is said: "Alex or Sam", "Alex, Kim oder Sam"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {text(language, 'or')} {names[-1]}"


def text(language: str | None, key: str, **fields: object) -> str:
    """Return a reply, filled in."""
    template = table(language)[key]
    assert isinstance(template, str)
    return template.format(**fields)


def word(language: str | None, key: str, count: float) -> str:
    """Return the noun that goes with a count: 1 week, 2 weeks."""
    pair = table(language)[key]
    assert isinstance(pair, tuple)
    return pair[0] if count == 1 else pair[1]


def label(language: str | None, key: str, value: str) -> str:
    """Return a named thing: an activity or a weekday."""
    names = table(language)[key]
    assert isinstance(names, dict)
    return names[value]
