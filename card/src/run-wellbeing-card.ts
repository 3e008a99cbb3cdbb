// The Run Wellbeing card: a year heatmap, this week, streaks, mood and logging.
import { LitElement, css, html, nothing, svg, type PropertyValues, type TemplateResult } from "lit";
import { pluralKey, translator, type Key, type Translate } from "./i18n";
import { RunWellbeingCardEditor } from "./editor";
import { defineWhenReady } from "./register";
import type { CardConfig } from "./types";

export type { CardConfig };


interface Hass {
  locale?: { language: string };
  language?: string;
  connection: {
    subscribeMessage<T>(cb: (msg: T) => void, msg: Record<string, unknown>): Promise<() => void>;
  };
  callWS<T>(msg: Record<string, unknown>): Promise<T>;
  fetchWithAuth(path: string, init?: RequestInit): Promise<Response>;
}

interface CardData {
  name: string;
  summary: Record<string, number | string | null>;
  week_start: string;
  today: string;
  unit: string;
  may_manage: boolean;
  days: { first: string; count: number[]; distance: number[]; plan: string };
  moods: { first: string; mean: (number | null)[] };
}

interface Session {
  id: string;
  activity: string;
  start: string;
  duration: number | null;
  distance: number | null;
  note: string | null;
}

const ACTIVITIES = ["run", "walk", "hike", "cycle", "swim", "yoga", "dance", "strength", "other"];
/** Heatmap cells are at least this many CSS px (a phone shows fewer weeks). */
const CELL_MIN = 12;
const GAP = 2;
/** Room above the cells for the month labels (12 px text). */
const TOP = 16;
/** Kilometres in one of the home's distance units. */
const KM_PER_UNIT: Record<string, number> = { km: 1, mi: 1.609344, m: 0.001 };
const UNDO_MS = 15 * 60 * 1000;

/** A local "YYYY-MM-DDTHH:MM" for a datetime-local field. */
function localInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 16);
}

function addDays(iso: string, days: number): Date {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days));
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export class RunWellbeingCard extends LitElement {
  static properties = {
    hass: { attribute: false },
    _config: { state: true },
    _data: { state: true },
    _form: { state: true },
    _toast: { state: true },
    _day: { state: true },
    _error: { state: true },
    _focus: { state: true },
    _moods: { state: true },
    _earlier: { state: true },
    _editing: { state: true },
    _confirming: { state: true },
    _width: { state: true },
  };

  hass?: Hass;
  _config?: CardConfig;
  _data?: CardData;
  _form: "" | "run" | "mood" = "";
  _toast?: { text: string; id?: string };
  _day?: { date: string; sessions: Session[] };
  _error = "";
  /** Mood taps of the open form, by field (mood, mood_before, mood_after). */
  _moods: Record<string, number | undefined> = {};
  /** The run ended earlier than now: show the day-and-time field. */
  _earlier = false;
  /** The session of the day view being edited, or asked about before deleting. */
  _editing?: string;
  _confirming?: string;
  /** Width the heatmap has, in CSS px (0 until measured). */
  _width = 0;
  private _resize?: ResizeObserver;
  private _unsub?: Promise<() => void>;
  private _subscribedTo?: string;
  private _toastTimer?: number;

  static getConfigElement(): HTMLElement {
    return document.createElement("run-wellbeing-card-editor");
  }

  static async getStubConfig(hass: Hass): Promise<CardConfig> {
    const { profiles } = await hass.callWS<{ profiles: { entry_id: string }[] }>({
      type: "run_wellbeing/profiles",
    });
    return { type: "custom:run-wellbeing-card", entry_id: profiles[0]?.entry_id };
  }

  setConfig(config: CardConfig): void {
    if (!config) throw new Error("Invalid configuration");
    if (config.entry_id !== this._config?.entry_id || config.profile !== this._config?.profile) {
      this._data = undefined;
      this._unsubscribe();
    }
    this._config = { color_by: "count", ...config };
  }

  getCardSize(): number {
    return 6;
  }

  private get t(): Translate {
    return translator(this.hass?.locale?.language ?? this.hass?.language);
  }

  /** "1 day", "2 days": the form a count takes in the card's language. */
  private _plural(key: "weeks" | "days" | "of_goal" | "last_weeks", count: number): Key {
    return pluralKey(this.hass?.locale?.language ?? this.hass?.language, key, count);
  }

  private _show(section: keyof CardConfig): boolean {
    return this._config?.[section] !== false;
  }

  connectedCallback(): void {
    super.connectedCallback();
    this._subscribe();
    if (typeof ResizeObserver !== "undefined") {
      this._resize ??= new ResizeObserver(() => {
        // The card's content has 16 px padding on both sides.
        const width = Math.max(0, this.clientWidth - 32);
        if (Math.abs(width - this._width) >= 1) this._width = width;
      });
      this._resize.observe(this);
    }
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unsubscribe();
    this._resize?.disconnect();
  }

  protected updated(changed: PropertyValues): void {
    if (changed.has("hass") || changed.has("_config")) this._subscribe();
  }

  private _unsubscribe(): void {
    this._unsub?.then((unsub) => unsub()).catch(() => undefined);
    this._unsub = undefined;
    this._subscribedTo = undefined;
  }

  private _resolving = false;

  // Without an entry id (a YAML dashboard), the profile is found by name or is the first one.
  private async _resolve(): Promise<void> {
    if (this._resolving || !this.hass || !this._config) return;
    this._resolving = true;
    try {
      const { profiles } = await this.hass.callWS<{ profiles: { entry_id: string; name: string }[] }>({
        type: "run_wellbeing/profiles",
      });
      const wanted = this._config.profile?.toLowerCase();
      const found = wanted ? profiles.find((p) => p.name.toLowerCase() === wanted) : profiles[0];
      if (found) this._config = { ...this._config, entry_id: found.entry_id };
      else this._error = `${this._config.profile ?? ""}?`;
    } finally {
      this._resolving = false;
    }
  }

  private async _subscribe(): Promise<void> {
    if (this._config && !this._config.entry_id) return this._resolve();
    const entryId = this._config?.entry_id;
    if (!this.hass || !this.isConnected || !entryId || this._subscribedTo === entryId) return;
    this._unsubscribe();
    this._subscribedTo = entryId;
    this._unsub = this.hass.connection.subscribeMessage<CardData>(
      (data) => {
        this._data = data;
        this._error = "";
        // An open day view follows changes too (an edit, a delete, a new run).
        if (this._day) void this._openDay(this._day.date).catch(() => undefined);
      },
      { type: "run_wellbeing/subscribe", entry_id: entryId },
    );
    this._unsub.catch((err: { message?: string }) => {
      this._error = err.message ?? String(err);
      this._subscribedTo = undefined;
    });
  }

  private _number(value: string | undefined): number | undefined {
    if (value === undefined || value.trim() === "") return undefined;
    return Number(value.replace(",", "."));
  }

  private async _submit(ev: Event): Promise<void> {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const fields = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
    const msg: Record<string, unknown> = { entry_id: this._config!.entry_id };
    const kind = this._form;
    if (kind === "run") {
      msg.type = "run_wellbeing/log_run";
      msg.activity = fields.activity;
      for (const key of ["duration", "distance"]) {
        const value = this._number(fields[key]);
        if (value !== undefined) msg[key] = value;
      }
      for (const key of ["mood_before", "mood_after"]) {
        if (this._moods[key] !== undefined) msg[key] = this._moods[key];
      }
      if (msg.distance !== undefined) msg.distance_unit = this._data?.unit ?? "km";
      // The run ends now ("just finished") or when the person says; the server
      // puts its start at end - duration.
      const end = this._earlier && fields.end ? new Date(fields.end) : new Date();
      msg.end = end.toISOString();
    } else {
      if (this._moods.mood === undefined) {
        this._error = `${this.t("mood_now")}: 1–10`;
        return;
      }
      msg.type = "run_wellbeing/log_mood";
      msg.mood = this._moods.mood;
    }
    if (fields.note?.trim()) msg.note = fields.note.trim();
    try {
      const { id } = await this.hass!.callWS<{ id: string }>(msg);
      this._form = "";
      this._error = "";
      this._moods = {};
      this._earlier = false;
      this._showToast(this.t(kind === "run" ? "run_logged" : "mood_logged"), id);
    } catch (err) {
      this._error = (err as { message?: string }).message ?? String(err);
    }
  }

  private _showToast(text: string, id?: string): void {
    this._toast = { text, id: this._data?.may_manage ? id : undefined };
    window.clearTimeout(this._toastTimer);
    // A logged record can be undone for 15 minutes (the toast stays as long).
    this._toastTimer = window.setTimeout(() => (this._toast = undefined), id ? UNDO_MS : 10000);
  }

  private async _undo(): Promise<void> {
    const id = this._toast?.id;
    if (!id) return;
    try {
      await this.hass!.callWS({ type: "run_wellbeing/undo", entry_id: this._config!.entry_id, record_id: id });
      this._showToast(this.t("undone"));
    } catch (err) {
      this._error = (err as { message?: string }).message ?? String(err);
    }
  }

  private _transferUrl(kind: "export" | "import"): string {
    return `/api/run_wellbeing/${encodeURIComponent(this._config!.entry_id!)}/${kind}`;
  }

  private async _failed(response: Response): Promise<void> {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    this._error = body.message ?? `${response.status}`;
  }

  /** Download the profile's history (JSON keeps moods and plans too). */
  private async _export(): Promise<void> {
    const response = await this.hass!.fetchWithAuth(`${this._transferUrl("export")}?format=json`);
    if (!response.ok) return this._failed(response);
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1];
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = name ?? "run_wellbeing.json";
    link.click();
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /** Upload an export file and show the import's summary. */
  private async _import(ev: Event): Promise<void> {
    const input = ev.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const body = new FormData();
    body.append("file", file, file.name);
    const response = await this.hass!.fetchWithAuth(this._transferUrl("import"), { method: "POST", body });
    input.value = "";
    if (!response.ok) return this._failed(response);
    const summary = (await response.json()) as { imported: number; duplicates: number; skipped: number };
    this._error = "";
    this._showToast(this.t("imported", { n: summary.imported, dup: summary.duplicates, skip: summary.skipped }));
  }

  private async _openDay(date: string): Promise<void> {
    const result = await this.hass!.callWS<{ date: string; sessions: Session[] }>({
      type: "run_wellbeing/day",
      entry_id: this._config!.entry_id,
      date,
    });
    this._day = result;
  }

  private _closeDay(): void {
    this._day = undefined;
    this._editing = undefined;
    this._confirming = undefined;
  }

  /** Save the inline edit of a session: left-empty optional fields are cleared. */
  private async _saveSession(ev: Event, session: Session): Promise<void> {
    ev.preventDefault();
    const fields = Object.fromEntries(new FormData(ev.target as HTMLFormElement).entries()) as Record<string, string>;
    const unit = this._data?.unit ?? "km";
    const msg: Record<string, unknown> = {
      type: "run_wellbeing/update_session",
      entry_id: this._config!.entry_id,
      record_id: session.id,
      activity: fields.activity,
      duration: this._number(fields.duration) ?? null,
      distance: this._number(fields.distance) ?? null,
      distance_unit: unit,
      note: fields.note?.trim() ?? "",
    };
    try {
      await this.hass!.callWS(msg);
      this._editing = undefined;
      this._error = "";
      this._showToast(this.t("session_saved"));
      await this._openDay(this._day!.date);
    } catch (err) {
      this._error = (err as { message?: string }).message ?? String(err);
    }
  }

  private async _deleteSession(session: Session): Promise<void> {
    try {
      await this.hass!.callWS({ type: "run_wellbeing/undo", entry_id: this._config!.entry_id, record_id: session.id });
      this._confirming = undefined;
      this._error = "";
      this._showToast(this.t("session_deleted"));
      await this._openDay(this._day!.date);
    } catch (err) {
      this._error = (err as { message?: string }).message ?? String(err);
    }
  }

  /** A distance in km shown in the home's unit (at most 2 decimals). */
  private _distance(km: number): number {
    return Math.round((km / (KM_PER_UNIT[this._data?.unit ?? "km"] ?? 1)) * 100) / 100;
  }

  private _formats = new Map<string, Intl.DateTimeFormat>();

  private _formatDate(date: Date, options: Intl.DateTimeFormatOptions): string {
    const language = this.hass?.locale?.language ?? "en";
    const key = language + JSON.stringify(options);
    try {
      let format = this._formats.get(key);
      if (!format) {
        format = new Intl.DateTimeFormat(language, options);
        this._formats.set(key, format);
      }
      return format.format(date);
    } catch {
      return date.toDateString();
    }
  }

  private _level(index: number): number {
    const data = this._data!;
    const count = data.days.count[index];
    if (!count) return 0;
    if (this._config?.color_by === "distance") {
      const km = data.days.distance[index] / 10;
      return km >= 15 ? 4 : km >= 10 ? 3 : km >= 5 ? 2 : 1;
    }
    return Math.min(count, 4);
  }

  _focus?: number;

  // One tab stop for the whole heatmap; arrows move by day (up/down) and week (left/right).
  private _cellKey(ev: KeyboardEvent, index: number, date: string, last: number, first = 0): void {
    const moves: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -7, ArrowRight: 7 };
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      this._openDay(date);
      return;
    }
    if (!(ev.key in moves)) return;
    ev.preventDefault();
    this._focus = Math.max(first, Math.min(last, index + moves[ev.key]));
    this.updateComplete.then(() =>
      (this.shadowRoot?.querySelector('rect[tabindex="0"]') as SVGElement | null)?.focus(),
    );
  }

  private _heatmap(): TemplateResult {
    const data = this._data!;
    const t = this.t;
    const total = data.days.count.length;
    const weeks = Math.ceil(total / 7);
    const todayIndex = Math.round((addDays(data.today, 0).getTime() - addDays(data.days.first, 0).getTime()) / 86400000);
    // As many of the latest weeks as fit with cells of at least 12 px.
    const width = this._width || weeks * (CELL_MIN + GAP);
    const shown = Math.max(1, Math.min(weeks, Math.floor((width + GAP) / (CELL_MIN + GAP))));
    const firstWeek = weeks - shown;
    const pitch = Math.min(24, (width + GAP) / shown);
    const CELL = pitch - GAP;
    const cells = [];
    const months = [];
    let lastMonth = -1;
    let lastLabelX = -Infinity;
    for (let week = firstWeek; week < weeks; week++) {
      const day = addDays(data.days.first, week * 7);
      const month = day.getUTCMonth();
      const x = (week - firstWeek) * pitch;
      // A label where a month begins, if it does not crowd the one before.
      if (month !== lastMonth && x - lastLabelX >= 30 && (week > firstWeek || day.getUTCDate() <= 7 || shown < 4)) {
        months.push(svg`<text class="month" x=${x} y="12">${this._formatDate(day, { month: "short", timeZone: "UTC" })}</text>`);
        lastLabelX = x;
      }
      lastMonth = month;
    }
    for (let i = firstWeek * 7; i < total; i++) {
      if (i > todayIndex && data.days.plan[i] === "-") continue;
      const x = (Math.floor(i / 7) - firstWeek) * pitch;
      const y = TOP + (i % 7) * pitch;
      const level = this._level(i);
      const mark = data.days.plan[i];
      const date = isoDay(addDays(data.days.first, i));
      const label = `${this._formatDate(addDays(data.days.first, i), { dateStyle: "medium", timeZone: "UTC" })}: ${data.days.count[i]} ${t("count")}${mark === "p" || mark === "d" ? `, ${t("planned")}` : mark === "m" ? `, ${t("missed")}` : ""}`;
      const focused = i === Math.max(firstWeek * 7, this._focus ?? todayIndex);
      cells.push(svg`<rect x=${x} y=${y} width=${CELL} height=${CELL} rx="2"
        class="cell l${level} ${mark === "p" || mark === "d" ? "planned" : ""} ${mark === "m" ? "missed" : ""}"
        data-date=${date} data-count=${data.days.count[i]}
        tabindex=${focused ? 0 : -1} role="button" aria-label=${label}
        @click=${() => this._openDay(date)}
        @keydown=${(ev: KeyboardEvent) => this._cellKey(ev, i, date, todayIndex, firstWeek * 7)}
        ><title>${label}</title></rect>`);
      if (mark === "m") {
        cells.push(svg`<circle cx=${x + CELL / 2} cy=${y + CELL / 2} r="1.6" class="missed-dot" aria-hidden="true"></circle>`);
      }
    }
    // The viewBox is in CSS px, so the 12 px labels stay 12 px on any screen.
    const svgWidth = shown * pitch - GAP;
    const svgHeight = TOP + 7 * pitch - GAP;
    return html`<section class="heatmap" aria-label=${t("heatmap")}>
      <h3>${shown < weeks ? t(this._plural("last_weeks", shown), { n: shown }) : t("year")}</h3>
      <svg viewBox="0 0 ${svgWidth} ${svgHeight}" style="max-width:${svgWidth}px" role="group" aria-label=${t("heatmap")}>
        <g aria-hidden="true">${months}</g>${cells}</svg>
      <div class="legend" aria-hidden="true"><span>${t("less")}</span>
        <svg viewBox="0 0 ${5 * 14 - 2} 12" width=${5 * 14 - 2} height="12">${[0, 1, 2, 3, 4].map(
          (level) => svg`<rect class="swatch l${level}" x=${level * 14} y="0" width="12" height="12" rx="2"></rect>`,
        )}</svg><span>${t("more")}</span></div>
    </section>`;
  }

  private _week(): TemplateResult {
    const s = this._data!.summary;
    const t = this.t;
    const runs = Number(s.runs_this_week ?? 0);
    const goal = Number(s.weekly_goal ?? 1);
    const ratio = Math.min(runs / goal, 1);
    const message = runs >= goal ? t("goal_met") : runs === 0 ? t("start_week") : "";
    return html`<section class="week">
      <h3>${t("runs_week")}</h3>
      <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax=${goal} aria-valuenow=${runs}
        aria-label=${t(this._plural("of_goal", goal), { n: runs, goal })}>
        <div class="bar ${runs >= goal ? "met" : ""}" style="width:${ratio * 100}%"></div>
      </div>
      <div class="row"><span class="value">${t(this._plural("of_goal", goal), { n: runs, goal })}</span><span class="hint">${message}</span></div>
    </section>`;
  }

  private _streaks(): TemplateResult {
    const s = this._data!.summary;
    const t = this.t;
    return html`<section class="streaks">
      <div class="stat"><span class="label">${t("week_streak")}</span>
        <span class="big">${s.streak ?? 0}</span> <span>${t(this._plural("weeks", Number(s.streak ?? 0)))}</span>
        <span class="hint">${t("best", { n: s.longest_streak ?? 0 })}</span></div>
      <div class="stat"><span class="label">${t("day_streak")}</span>
        <span class="big">${s.day_streak ?? 0}</span> <span>${t(this._plural("days", Number(s.day_streak ?? 0)))}</span>
        <span class="hint">${t("best", { n: s.longest_day_streak ?? 0 })}</span></div>
    </section>`;
  }

  private _mood(): TemplateResult {
    const data = this._data!;
    const t = this.t;
    const score = data.summary.mood_score;
    const lift = data.summary.mood_lift;
    const points = data.moods.mean
      .map((value, i) => (value === null ? null : `${(i * 100) / 29},${30 - ((value - 1) / 9) * 28 - 1}`))
      .filter((p): p is string => p !== null);
    return html`<section class="mood">
      <div class="stat"><span class="label">${t("mood")}</span>
        ${score === null || score === undefined
          ? html`<span class="hint">${t("no_mood")}</span>`
          : html`<span class="big">${score}</span><span> / 10</span>`}
        ${lift === null || lift === undefined
          ? nothing
          : html`<span class="hint">${t("mood_lift")}: ${Number(lift) > 0 ? "+" : ""}${lift}</span>`}</div>
      <svg class="line" viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label=${t("mood")}>
        <polyline points=${points.join(" ")} fill="none" vector-effect="non-scaling-stroke"></polyline>
      </svg>
    </section>`;
  }

  private _next(): TemplateResult {
    const t = this.t;
    const next = this._data!.summary.next_planned_run;
    return html`<section class="next"><span class="label">${t("next_run")}</span>
      <span>${next ? this._formatDate(new Date(String(next)), { weekday: "long", hour: "2-digit", minute: "2-digit" }) : t("none_planned")}</span>
    </section>`;
  }

  private _logging(): TemplateResult {
    const t = this.t;
    const unit = this._data?.unit ?? "km";
    return html`<section class="logging">
      <div class="buttons">
        <button type="button" @click=${() => (this._form = this._form === "run" ? "" : "run")} aria-expanded=${this._form === "run"}>${t("log_run")}</button>
        <button type="button" @click=${() => (this._form = this._form === "mood" ? "" : "mood")} aria-expanded=${this._form === "mood"}>${t("log_mood")}</button>
        ${this._data?.may_manage
          ? html`<button type="button" @click=${this._export}>${t("export")}</button>
              <label class="file-button"><span>${t("import")}</span>
                <input type="file" accept=".zip,.csv,.xml,.json,.gpx,.tcx,.fit,.gz" @change=${this._import} /></label>`
          : nothing}
      </div>
      ${this._form === "run"
        ? html`<form @submit=${this._submit} class="run-form">
            <label>${t("activity")}<select name="activity">${ACTIVITIES.map(
              (a) => html`<option value=${a}>${t(`act_${a}` as Key)}</option>`,
            )}</select></label>
            <label>${t("duration")}<input name="duration" type="number" min="1" max="1440" step="any" inputmode="decimal" /></label>
            <label>${t("distance", { unit })}<input name="distance" type="number" min="0" step="any" inputmode="decimal" /></label>
            <fieldset class="wide when"><legend>${t("when")}</legend>
              <label class="inline"><input type="radio" name="when" value="now" .checked=${!this._earlier}
                @change=${() => (this._earlier = false)} />${t("just_finished")}</label>
              <label class="inline"><input type="radio" name="when" value="earlier" .checked=${this._earlier}
                @change=${() => (this._earlier = true)} />${t("earlier")}</label>
              ${this._earlier
                ? html`<label>${t("ended_at")}<input name="end" type="datetime-local" required
                    max=${localInput(new Date())} .value=${localInput(new Date())} /></label>`
                : nothing}
            </fieldset>
            ${this._scale("mood_before", t("mood_before"))}
            ${this._scale("mood_after", t("mood_after"))}
            <label class="wide">${t("note")}<textarea name="note" maxlength="500" rows="2"></textarea></label>
            <div class="wide buttons"><button type="submit">${t("save")}</button>
              <button type="button" @click=${() => (this._form = "")}>${t("cancel")}</button></div>
          </form>`
        : nothing}
      ${this._form === "mood"
        ? html`<form @submit=${this._submit} class="mood-form">
            ${this._scale("mood", t("mood_now"))}
            <label class="wide">${t("note")}<textarea name="note" maxlength="500" rows="2"></textarea></label>
            <div class="wide buttons"><button type="submit">${t("save")}</button>
              <button type="button" @click=${() => (this._form = "")}>${t("cancel")}</button></div>
          </form>`
        : nothing}
    </section>`;
  }

  /** A 1-10 tap scale: one button per value, tapped again to clear. */
  private _scale(field: string, label: string): TemplateResult {
    const chosen = this._moods[field];
    return html`<div class="wide scale" role="radiogroup" aria-label=${label}>
      <span class="scale-label">${label}</span>
      <div class="taps">${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(
        (n) => html`<button type="button" role="radio" aria-checked=${chosen === n ? "true" : "false"}
          aria-label=${`${label} ${n}`} class=${chosen === n ? "tap on" : "tap"}
          @click=${() => (this._moods = { ...this._moods, [field]: chosen === n ? undefined : n })}>${n}</button>`,
      )}</div>
    </div>`;
  }

  private _dayView(): TemplateResult | typeof nothing {
    const day = this._day;
    if (!day) return nothing;
    const t = this.t;
    const date = this._formatDate(addDays(day.date, 0), { dateStyle: "full", timeZone: "UTC" });
    return html`<section class="day" role="region" aria-label=${t("sessions_on", { date })}>
      <div class="row"><h3>${t("sessions_on", { date })}</h3>
        <button type="button" @click=${() => this._closeDay()}>${t("close")}</button></div>
      ${day.sessions.length === 0
        ? html`<p>${t("no_sessions")}</p>`
        : html`<ul class="sessions">${day.sessions.map((s) => this._session(s))}</ul>`}
    </section>`;
  }

  private _session(s: Session): TemplateResult {
    const t = this.t;
    const unit = this._data?.unit ?? "km";
    const manage = this._data?.may_manage;
    const what = ACTIVITIES.includes(s.activity) ? t(`act_${s.activity}` as Key) : s.activity;
    const summary = html`<span class="what">${this._formatDate(new Date(s.start), { hour: "2-digit", minute: "2-digit" })} · ${what}${s.duration
      ? ` · ${Math.round(s.duration)} min`
      : ""}${s.distance ? ` · ${this._distance(s.distance)} ${unit}` : ""}</span>`;
    if (this._editing === s.id) {
      return html`<li class="session editing"><form class="edit-form" aria-label=${t("edit_session")}
          @submit=${(ev: Event) => this._saveSession(ev, s)}>
          <label>${t("activity")}<select name="activity">${ACTIVITIES.map(
            (a) => html`<option value=${a} ?selected=${a === s.activity}>${t(`act_${a}` as Key)}</option>`,
          )}</select></label>
          <label>${t("duration")}<input name="duration" type="number" min="0" max="1440" step="any" inputmode="decimal"
            .value=${s.duration === null ? "" : String(Math.round(s.duration * 100) / 100)} /></label>
          <label>${t("distance", { unit })}<input name="distance" type="number" min="0" step="any" inputmode="decimal"
            .value=${s.distance === null ? "" : String(this._distance(s.distance))} /></label>
          <label class="wide">${t("note")}<textarea name="note" maxlength="500" rows="2" .value=${s.note ?? ""}></textarea></label>
          <div class="wide buttons"><button type="submit">${t("save")}</button>
            <button type="button" @click=${() => (this._editing = undefined)}>${t("cancel")}</button></div>
        </form></li>`;
    }
    return html`<li class="session">${summary}
      ${s.note ? html`<div class="hint">${s.note}</div>` : nothing}
      ${!manage
        ? nothing
        : this._confirming === s.id
          ? html`<div class="confirm" role="alertdialog" aria-label=${t("confirm_delete")}>
              <span>${t("confirm_delete")}</span>
              <div class="buttons"><button type="button" class="danger" @click=${() => this._deleteSession(s)}>${t("delete")}</button>
                <button type="button" @click=${() => (this._confirming = undefined)}>${t("cancel")}</button></div></div>`
          : html`<div class="buttons">
              <button type="button" aria-label=${`${t("edit")}: ${what}`} @click=${() => {
                this._editing = s.id;
                this._confirming = undefined;
              }}>${t("edit")}</button>
              <button type="button" aria-label=${`${t("delete")}: ${what}`} @click=${() => {
                this._confirming = s.id;
                this._editing = undefined;
              }}>${t("delete")}</button></div>`}
    </li>`;
  }

  render(): TemplateResult {
    const t = this.t;
    if (!this._data) return html`<ha-card><div class="content">${this._error || "…"}</div></ha-card>`;
    return html`<ha-card>
      <div class="content">
        <h2 class="title">${this._data.name}</h2>
        ${this._show("show_heatmap") ? this._heatmap() : nothing}
        ${this._dayView()}
        ${this._show("show_week") ? this._week() : nothing}
        ${this._show("show_streaks") ? this._streaks() : nothing}
        ${this._show("show_mood") ? this._mood() : nothing}
        ${this._show("show_next") ? this._next() : nothing}
        ${this._show("show_logging") ? this._logging() : nothing}
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      </div>
      ${this._toast
        ? html`<div class="toast" role="status">${this._toast.text}
            ${this._toast.id ? html`<button type="button" @click=${this._undo}>${t("undo")}</button>` : nothing}</div>`
        : nothing}
    </ha-card>`;
  }

  static styles = css`
    :host { display: block; }
    ha-card { overflow: hidden; }
    .content { padding: 16px; display: grid; gap: 16px; color: var(--primary-text-color); }
    h2, h3 { margin: 0 0 6px; font-weight: 500; }
    h2 { font-size: 1.25em; } h3 { font-size: 1em; color: var(--secondary-text-color); }
    svg { width: 100%; height: auto; display: block; }
    /* An empty day: the theme's secondary text colour, faint, so it stays
       visible on light and dark cards (about 1.85:1 on Home Assistant's
       default light card and 2.1:1 on its dark one; the divider colour
       gives about 1.4:1). */
    .cell, .swatch { fill: var(--secondary-text-color, #727272); fill-opacity: 0.4; }
    .l1 { fill: var(--primary-color); fill-opacity: 0.4; }
    .l2 { fill: var(--primary-color); fill-opacity: 0.6; }
    .l3 { fill: var(--primary-color); fill-opacity: 0.8; }
    .l4 { fill: var(--primary-color); fill-opacity: 1; }
    .month { font-size: 12px; fill: var(--secondary-text-color); }
    .legend { display: flex; align-items: center; justify-content: flex-end; gap: 6px; margin-top: 6px;
      font-size: 12px; color: var(--secondary-text-color); }
    .legend svg { width: auto; display: inline-block; }
    .cell.planned { stroke: var(--primary-text-color); stroke-width: 1; }
    .cell:focus { outline: none; stroke: var(--accent-color, var(--primary-color)); stroke-width: 2; }
    .cell { cursor: pointer; }
    .missed-dot { fill: var(--secondary-text-color); }
    .progress { height: 10px; border-radius: 5px; background: var(--divider-color, rgba(127,127,127,0.2)); overflow: hidden; }
    .bar { height: 100%; background: var(--primary-color); border-radius: 5px; }
    .bar.met { background: var(--success-color, var(--primary-color)); }
    .row { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; flex-wrap: wrap; }
    .streaks { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
    .stat { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px; }
    .label { width: 100%; color: var(--secondary-text-color); font-size: 0.9em; }
    .big { font-size: 1.8em; font-weight: 500; }
    .hint { color: var(--secondary-text-color); font-size: 0.85em; width: 100%; }
    .line { height: 48px; margin-top: 6px; }
    .line polyline { stroke: var(--primary-color); stroke-width: 2; }
    .next { display: flex; flex-direction: column; gap: 2px; }
    .buttons { display: flex; gap: 8px; flex-wrap: wrap; }
    button { font: inherit; padding: 8px 14px; border-radius: 18px; border: 1px solid var(--primary-color);
      background: none; color: var(--primary-color); cursor: pointer; min-height: 36px; }
    button[type="submit"] { background: var(--primary-color); color: var(--text-primary-color, #fff); }
    button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 2px solid var(--primary-color); outline-offset: 2px; }
    form { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 10px; margin-top: 12px; }
    form .wide { grid-column: 1 / -1; }
    .scale { display: flex; flex-direction: column; gap: 4px; }
    .scale-label { font-size: 0.9em; color: var(--secondary-text-color); }
    .taps { display: grid; grid-template-columns: repeat(10, minmax(28px, 1fr)); gap: 4px; }
    .tap { min-height: 36px; padding: 0; }
    .tap.on { background: var(--primary-color); color: var(--text-primary-color, #fff); border-color: var(--primary-color); }
    fieldset.when { border: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
    fieldset.when legend { font-size: 0.9em; color: var(--secondary-text-color); padding: 0; }
    label.inline { flex-direction: row; align-items: center; color: var(--primary-text-color); }
    /* Looks like the buttons beside it (the label rule below would make it small and grey). */
    .file-button { position: relative; display: inline-flex; flex-direction: row; align-items: center; cursor: pointer;
      box-sizing: border-box; font-size: 1em; min-height: 36px; border: 1px solid var(--primary-color);
      border-radius: 18px; padding: 8px 14px; color: var(--primary-color); }
    .file-button:focus-within { outline: 2px solid var(--primary-color); outline-offset: 2px; }
    .file-button input { position: absolute; inset: 0; opacity: 0; cursor: pointer; }
    label { display: flex; flex-direction: column; gap: 4px; font-size: 0.9em; color: var(--secondary-text-color); min-width: 0; }
    input, select, textarea { font: inherit; padding: 6px 8px; border-radius: 6px; min-width: 0; box-sizing: border-box; width: 100%;
      border: 1px solid var(--divider-color, #ccc); background: var(--card-background-color, transparent); color: var(--primary-text-color); }
    .toast { display: flex; justify-content: space-between; align-items: center; gap: 8px; padding: 8px 16px;
      background: var(--secondary-background-color, rgba(127,127,127,0.15)); }
    .error { color: var(--error-color); margin: 0; }
    ul { margin: 0; padding-left: 18px; }
    ul.sessions { list-style: none; padding: 0; display: grid; gap: 10px; }
    .session { display: flex; flex-direction: column; gap: 6px; padding-bottom: 8px;
      border-bottom: 1px solid var(--divider-color, rgba(127,127,127,0.2)); }
    .session .buttons button { padding: 4px 12px; }
    .confirm { display: flex; flex-direction: column; gap: 6px; }
    button.danger { border-color: var(--error-color, #db4437); color: var(--error-color, #db4437); }
    .edit-form { margin-top: 0; }
  `;
}

// The editor first: the card's getConfigElement() creates it.
void defineWhenReady("run-wellbeing-card-editor", RunWellbeingCardEditor).then(() =>
  defineWhenReady("run-wellbeing-card", RunWellbeingCard),
);

declare global {
  interface Window {
    customCards?: { type: string; name: string; description: string; preview?: boolean }[];
  }
}
// The card picker reads this list when it opens; listed once even if the module runs twice.
const t0 = translator(navigator.language);
window.customCards = window.customCards || [];
if (!window.customCards.some((card) => card.type === "run-wellbeing-card")) {
  window.customCards.push({
    type: "run-wellbeing-card",
    name: t0("name"),
    description: t0("description"),
    preview: true,
  });
}
