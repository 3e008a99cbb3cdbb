// Visual editor of the card, built from Home Assistant's own form (ha-form):
// a profile picker, the heatmap's colouring and section switches.
import { LitElement, css, html, type TemplateResult } from "lit";
import { translator, type Key } from "./i18n";
import type { CardConfig } from "./types";

interface Hass {
  locale?: { language: string };
  callWS<T>(msg: Record<string, unknown>): Promise<T>;
}

type Field = { name: string; required?: boolean; selector?: Record<string, unknown>; type?: string; schema?: Field[] };

const SECTIONS: [keyof CardConfig, Key][] = [
  ["show_heatmap", "heatmap"],
  ["show_week", "week"],
  ["show_streaks", "streaks"],
  ["show_mood", "mood"],
  ["show_next", "next"],
  ["show_logging", "logging"],
];

const LABELS: Record<string, Key> = {
  entry_id: "profile",
  color_by: "color_by",
  ...Object.fromEntries(SECTIONS),
};

/**
 * Home Assistant defines ha-form when one of its own editors is first loaded;
 * a dashboard whose first edited card is this one may not have it yet, so the
 * entities card's editor is loaded for it (the documented card helpers).
 */
async function loadHaForm(): Promise<void> {
  if (window.customElements.get("ha-form")) return;
  const helpers = await (
    window as unknown as { loadCardHelpers?: () => Promise<{ createCardElement(c: object): HTMLElement }> }
  ).loadCardHelpers?.();
  const card = helpers?.createCardElement({ type: "entities", entities: [] });
  await (card?.constructor as { getConfigElement?: () => Promise<unknown> } | undefined)?.getConfigElement?.();
}

export class RunWellbeingCardEditor extends LitElement {
  static properties = {
    hass: { attribute: false },
    _config: { state: true },
    _profiles: { state: true },
  };

  hass?: Hass;
  _config?: CardConfig;
  _profiles?: { entry_id: string; name: string }[];

  setConfig(config: CardConfig): void {
    this._config = config;
  }

  connectedCallback(): void {
    super.connectedCallback();
    void loadHaForm()
      .then(() => this.requestUpdate())
      .catch(() => undefined);
  }

  protected updated(): void {
    if (this.hass && !this._profiles) {
      this._profiles = [];
      this.hass
        .callWS<{ profiles: { entry_id: string; name: string }[] }>({ type: "run_wellbeing/profiles" })
        .then(({ profiles }) => (this._profiles = profiles))
        .catch(() => undefined);
    }
  }

  private _schema(t: ReturnType<typeof translator>): Field[] {
    const distance = t("distance", { unit: "" }).replace(" ()", "");
    return [
      {
        name: "entry_id",
        required: true,
        selector: {
          select: {
            mode: "dropdown",
            options: (this._profiles ?? []).map((p) => ({ value: p.entry_id, label: p.name })),
          },
        },
      },
      {
        name: "color_by",
        required: true,
        selector: {
          select: {
            mode: "dropdown",
            options: [
              { value: "count", label: t("count") },
              { value: "distance", label: distance },
            ],
          },
        },
      },
      { name: "", type: "grid", schema: SECTIONS.map(([key]) => ({ name: key, selector: { boolean: {} } })) },
    ];
  }

  private _valueChanged(ev: CustomEvent<{ value: Record<string, unknown> }>): void {
    ev.stopPropagation();
    const value = { ...ev.detail.value };
    const config: Record<string, unknown> = { ...this._config, ...value };
    // A picked profile is kept by id; a name from YAML no longer applies.
    if (value.entry_id && value.entry_id !== this._config?.entry_id) delete config.profile;
    // Sections are shown unless switched off: only "false" is written.
    for (const [key] of SECTIONS) if (config[key] !== false) delete config[key];
    this._config = config as unknown as CardConfig;
    this.dispatchEvent(
      new CustomEvent("config-changed", { detail: { config: this._config }, bubbles: true, composed: true }),
    );
  }

  render(): TemplateResult {
    const t = translator(this.hass?.locale?.language);
    const config = this._config ?? { type: "custom:run-wellbeing-card" };
    const named = config.profile?.toLowerCase();
    const entryId = config.entry_id ?? this._profiles?.find((p) => p.name.toLowerCase() === named)?.entry_id;
    const data: Record<string, unknown> = { entry_id: entryId, color_by: config.color_by ?? "count" };
    for (const [key] of SECTIONS) data[key] = config[key] !== false;
    return html`<ha-form
      .hass=${this.hass}
      .data=${data}
      .schema=${this._schema(t)}
      .computeLabel=${(field: Field) => (LABELS[field.name] ? t(LABELS[field.name]) : field.name)}
      @value-changed=${this._valueChanged}
    ></ha-form>`;
  }

  static styles = css`
    :host { display: block; }
  `;
}
