// Strings of the card in the five languages of the integration.
export type Key =
  | "name" | "description" | "runs_week" | "of_goal" | "goal_met" | "week_streak" | "day_streak"
  | "best" | "weeks" | "days" | "mood" | "mood_lift" | "no_mood" | "next_run" | "none_planned"
  | "log_run" | "log_mood" | "activity" | "duration" | "distance" | "mood_before" | "mood_after"
  | "note" | "save" | "cancel" | "run_logged" | "mood_logged" | "undo" | "undone" | "year"
  | "no_sessions" | "profile" | "sections" | "heatmap" | "week" | "streaks" | "next" | "logging"
  | "color_by" | "count" | "planned" | "missed" | "sessions_on" | "start_week" | "close"
  | "mood_now" | "when" | "just_finished" | "earlier" | "ended_at" | "act_run" | "act_walk" | "act_hike"
  | "act_cycle" | "act_swim" | "act_yoga" | "act_dance" | "act_strength" | "act_other"
  | "export" | "import" | "imported" | "week_one" | "day_one" | "of_goal_one"
  | "less" | "more" | "edit" | "delete" | "edit_session" | "confirm_delete" | "session_saved" | "session_deleted"
  | "last_weeks" | "last_weeks_one";

const en: Record<Key, string> = {
  name: "Run Wellbeing", description: "A year of runs at a glance, mood beside it, and one-tap logging.",
  runs_week: "This week", of_goal: "{n} of {goal} runs", goal_met: "Goal reached — well done!",
  start_week: "A fresh week: every run counts.", week_streak: "Week streak", day_streak: "Day streak",
  best: "best {n}", weeks: "weeks", days: "days", mood: "Mood (7 days)", mood_lift: "Mood lift after runs",
  no_mood: "No mood logged yet", next_run: "Next planned run", none_planned: "Nothing planned",
  log_run: "Log run", log_mood: "Log mood", activity: "Activity", duration: "Duration (min)",
  distance: "Distance ({unit})", mood_before: "Mood before (1–10)", mood_after: "Mood after (1–10)",
  note: "Note (private)", save: "Save", cancel: "Cancel", run_logged: "Run logged", mood_logged: "Mood logged",
  undo: "Undo", undone: "Removed", year: "The last year", no_sessions: "No sessions this day",
  profile: "Profile", sections: "Sections", heatmap: "Year heatmap", week: "This week", streaks: "Streaks",
  next: "Next planned run", logging: "Logging", color_by: "Colour by", count: "Runs", planned: "planned",
  missed: "missed", sessions_on: "Sessions on {date}", close: "Close",
  mood_now: "Mood", when: "When did it end?", just_finished: "Just finished", earlier: "Earlier",
  ended_at: "Ended at", act_run: "Run", act_walk: "Walk", act_hike: "Hike", act_cycle: "Ride", act_swim: "Swim",
  act_yoga: "Yoga", act_dance: "Dance", act_strength: "Strength", act_other: "Other",
  export: "Export", import: "Import", imported: "Imported {n}, {dup} already there, {skip} not usable",
  week_one: "week", day_one: "day", of_goal_one: "{n} of {goal} run",
  less: "Less", more: "More", edit: "Edit", delete: "Delete", edit_session: "Edit session",
  confirm_delete: "Delete this session? This cannot be undone.", session_saved: "Session saved", session_deleted: "Session deleted",
  last_weeks: "The last {n} weeks", last_weeks_one: "This week",
};
const de: Record<Key, string> = {
  ...en, description: "Ein Jahr Läufe auf einen Blick, Stimmung daneben, Eintragen mit einem Tipp.",
  runs_week: "Diese Woche", of_goal: "{n} von {goal} Läufen", goal_met: "Ziel erreicht – super!",
  start_week: "Eine neue Woche: jeder Lauf zählt.", week_streak: "Wochenserie", day_streak: "Tagesserie",
  best: "Rekord {n}", weeks: "Wochen", days: "Tage", mood: "Stimmung (7 Tage)", mood_lift: "Stimmungsplus nach Läufen",
  no_mood: "Noch keine Stimmung erfasst", next_run: "Nächster geplanter Lauf", none_planned: "Nichts geplant",
  log_run: "Lauf eintragen", log_mood: "Stimmung eintragen", activity: "Aktivität", duration: "Dauer (min)",
  distance: "Strecke ({unit})", mood_before: "Stimmung vorher (1–10)", mood_after: "Stimmung nachher (1–10)",
  note: "Notiz (privat)", save: "Speichern", cancel: "Abbrechen", run_logged: "Lauf eingetragen",
  mood_logged: "Stimmung eingetragen", undo: "Rückgängig", undone: "Entfernt", year: "Das letzte Jahr",
  no_sessions: "Keine Einheiten an diesem Tag", profile: "Profil", sections: "Bereiche", heatmap: "Jahresübersicht",
  week: "Diese Woche", streaks: "Serien", next: "Nächster geplanter Lauf", logging: "Eintragen",
  color_by: "Färben nach", count: "Läufe", planned: "geplant", missed: "verpasst",
  sessions_on: "Einheiten am {date}", close: "Schließen",
  mood_now: "Stimmung", when: "Wann war Schluss?", just_finished: "Gerade fertig", earlier: "Früher",
  ended_at: "Ende um", act_run: "Laufen", act_walk: "Gehen", act_hike: "Wandern", act_cycle: "Radfahren",
  act_swim: "Schwimmen", act_yoga: "Yoga", act_dance: "Tanzen", act_strength: "Kraft", act_other: "Anderes",
  export: "Exportieren", import: "Importieren", imported: "{n} importiert, {dup} schon vorhanden, {skip} unbrauchbar",
  week_one: "Woche", day_one: "Tag", of_goal_one: "{n} von {goal} Lauf",
  less: "Weniger", more: "Mehr", edit: "Bearbeiten", delete: "Löschen", edit_session: "Einheit bearbeiten",
  confirm_delete: "Diese Einheit löschen? Das lässt sich nicht rückgängig machen.", session_saved: "Einheit gespeichert",
  session_deleted: "Einheit gelöscht", last_weeks: "Die letzten {n} Wochen", last_weeks_one: "Diese Woche",
};
const nl: Record<Key, string> = {
  ...en, description: "Een jaar hardlopen in één oogopslag, stemming ernaast en loggen met één tik.",
  runs_week: "Deze week", of_goal: "{n} van {goal} runs", goal_met: "Doel gehaald – goed gedaan!",
  start_week: "Een nieuwe week: elke run telt.", week_streak: "Weekreeks", day_streak: "Dagreeks",
  best: "record {n}", weeks: "weken", days: "dagen", mood: "Stemming (7 dagen)", mood_lift: "Stemmingswinst na runs",
  no_mood: "Nog geen stemming gelogd", next_run: "Volgende geplande run", none_planned: "Niets gepland",
  log_run: "Run loggen", log_mood: "Stemming loggen", activity: "Activiteit", duration: "Duur (min)",
  distance: "Afstand ({unit})", mood_before: "Stemming vooraf (1–10)", mood_after: "Stemming achteraf (1–10)",
  note: "Notitie (privé)", save: "Opslaan", cancel: "Annuleren", run_logged: "Run gelogd", mood_logged: "Stemming gelogd",
  undo: "Ongedaan maken", undone: "Verwijderd", year: "Het afgelopen jaar", no_sessions: "Geen sessies op deze dag",
  profile: "Profiel", sections: "Onderdelen", heatmap: "Jaaroverzicht", week: "Deze week", streaks: "Reeksen",
  next: "Volgende geplande run", logging: "Loggen", color_by: "Kleur op", count: "Runs", planned: "gepland",
  missed: "gemist", sessions_on: "Sessies op {date}", close: "Sluiten",
  mood_now: "Stemming", when: "Wanneer was het klaar?", just_finished: "Net klaar", earlier: "Eerder",
  ended_at: "Klaar om", act_run: "Hardlopen", act_walk: "Wandelen", act_hike: "Hiken", act_cycle: "Fietsen",
  act_swim: "Zwemmen", act_yoga: "Yoga", act_dance: "Dansen", act_strength: "Kracht", act_other: "Anders",
  export: "Exporteren", import: "Importeren", imported: "{n} geïmporteerd, {dup} al aanwezig, {skip} onbruikbaar",
  week_one: "week", day_one: "dag", of_goal_one: "{n} van {goal} run",
  less: "Minder", more: "Meer", edit: "Bewerken", delete: "Verwijderen", edit_session: "Sessie bewerken",
  confirm_delete: "Deze sessie verwijderen? Dit kan niet ongedaan worden gemaakt.", session_saved: "Sessie opgeslagen",
  session_deleted: "Sessie verwijderd", last_weeks: "De afgelopen {n} weken", last_weeks_one: "Deze week",
};
const fr: Record<Key, string> = {
  ...en, description: "Une année de course d'un coup d'œil, l'humeur à côté, et la saisie en un geste.",
  runs_week: "Cette semaine", of_goal: "{n} sur {goal} sorties", goal_met: "Objectif atteint, bravo !",
  start_week: "Nouvelle semaine : chaque sortie compte.", week_streak: "Série de semaines", day_streak: "Série de jours",
  best: "record {n}", weeks: "semaines", days: "jours", mood: "Humeur (7 jours)", mood_lift: "Gain d'humeur après la course",
  no_mood: "Aucune humeur saisie", next_run: "Prochaine sortie prévue", none_planned: "Rien de prévu",
  log_run: "Saisir une sortie", log_mood: "Saisir l'humeur", activity: "Activité", duration: "Durée (min)",
  distance: "Distance ({unit})", mood_before: "Humeur avant (1–10)", mood_after: "Humeur après (1–10)",
  note: "Note (privée)", save: "Enregistrer", cancel: "Annuler", run_logged: "Sortie enregistrée",
  mood_logged: "Humeur enregistrée", undo: "Annuler", undone: "Supprimé", year: "L'année écoulée",
  no_sessions: "Aucune séance ce jour-là", profile: "Profil", sections: "Sections", heatmap: "Carte de l'année",
  week: "Cette semaine", streaks: "Séries", next: "Prochaine sortie prévue", logging: "Saisie",
  color_by: "Couleur selon", count: "Sorties", planned: "prévu", missed: "manqué", sessions_on: "Séances du {date}",
  close: "Fermer",
  mood_now: "Humeur", when: "Quand s'est-elle terminée ?", just_finished: "À l'instant", earlier: "Plus tôt",
  ended_at: "Fin à", act_run: "Course", act_walk: "Marche", act_hike: "Randonnée", act_cycle: "Vélo",
  act_swim: "Natation", act_yoga: "Yoga", act_dance: "Danse", act_strength: "Musculation", act_other: "Autre",
  export: "Exporter", import: "Importer", imported: "{n} importés, {dup} déjà présents, {skip} inutilisables",
  week_one: "semaine", day_one: "jour", of_goal_one: "{n} sur {goal} sortie",
  less: "Moins", more: "Plus", edit: "Modifier", delete: "Supprimer", edit_session: "Modifier la séance",
  confirm_delete: "Supprimer cette séance ? Cette action est définitive.", session_saved: "Séance enregistrée",
  session_deleted: "Séance supprimée", last_weeks: "Les {n} dernières semaines", last_weeks_one: "Cette semaine",
};
const es: Record<Key, string> = {
  ...en, description: "Un año de carreras de un vistazo, el ánimo al lado y registro con un toque.",
  runs_week: "Esta semana", of_goal: "{n} de {goal} carreras", goal_met: "¡Objetivo cumplido!",
  start_week: "Una semana nueva: cada carrera cuenta.", week_streak: "Racha semanal", day_streak: "Racha diaria",
  best: "récord {n}", weeks: "semanas", days: "días", mood: "Ánimo (7 días)", mood_lift: "Mejora de ánimo tras correr",
  no_mood: "Aún sin ánimo registrado", next_run: "Próxima carrera planificada", none_planned: "Nada planificado",
  log_run: "Registrar carrera", log_mood: "Registrar ánimo", activity: "Actividad", duration: "Duración (min)",
  distance: "Distancia ({unit})", mood_before: "Ánimo antes (1–10)", mood_after: "Ánimo después (1–10)",
  note: "Nota (privada)", save: "Guardar", cancel: "Cancelar", run_logged: "Carrera registrada",
  mood_logged: "Ánimo registrado", undo: "Deshacer", undone: "Eliminado", year: "El último año",
  no_sessions: "Sin sesiones este día", profile: "Perfil", sections: "Secciones", heatmap: "Mapa del año",
  week: "Esta semana", streaks: "Rachas", next: "Próxima carrera planificada", logging: "Registro",
  color_by: "Color por", count: "Carreras", planned: "planificado", missed: "perdido", sessions_on: "Sesiones del {date}",
  close: "Cerrar",
  mood_now: "Ánimo", when: "¿Cuándo terminó?", just_finished: "Acabo de terminar", earlier: "Antes",
  ended_at: "Terminó a las", act_run: "Correr", act_walk: "Caminar", act_hike: "Senderismo", act_cycle: "Bici",
  act_swim: "Nadar", act_yoga: "Yoga", act_dance: "Baile", act_strength: "Fuerza", act_other: "Otra",
  export: "Exportar", import: "Importar", imported: "{n} importados, {dup} ya existían, {skip} no válidos",
  week_one: "semana", day_one: "día", of_goal_one: "{n} de {goal} carrera",
  less: "Menos", more: "Más", edit: "Editar", delete: "Eliminar", edit_session: "Editar sesión",
  confirm_delete: "¿Eliminar esta sesión? No se puede deshacer.", session_saved: "Sesión guardada",
  session_deleted: "Sesión eliminada", last_weeks: "Las últimas {n} semanas", last_weeks_one: "Esta semana",
};

const TABLES: Record<string, Record<Key, string>> = { en, de, nl, fr, es };

export function translator(language: string | undefined) {
  const table = TABLES[(language ?? "en").split("-")[0]] ?? en;
  return (key: Key, vars: Record<string, string | number> = {}): string =>
    table[key].replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? ""));
}
export type Translate = ReturnType<typeof translator>;

/** The key of a count's form: `key_one` where the language says "one", else `key`. */
export function pluralKey(
  language: string | undefined,
  key: "weeks" | "days" | "of_goal" | "last_weeks",
  count: number,
): Key {
  const one = new Intl.PluralRules(language ?? "en").select(count) === "one";
  if (!one) return key;
  return key === "weeks" ? "week_one" : key === "days" ? "day_one" : key === "last_weeks" ? "last_weeks_one" : "of_goal_one";
}
