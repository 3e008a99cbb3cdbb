// Visual editor of the card: a profile picker and section toggles.
import { LitElement, css, html, type TemplateResult } from "lit";
import { translator, type Key } from "./i18n";
import type { CardConfig } from "./types";

interface Hass {
  locale?: { language: string };
  callWS<T>(msg: Record<string, unknown>): Promise<T>;
}

const SECTIONS: [keyof CardConfig, Key][] = [
  ["show_heatmap", "heatmap"],
  ["show_week", "week"],
  ["show_streaks", "streaks"],
  ["show_mood", "mood"],
  ["show_next", "next"],
  ["show_logging", "logging"],
];

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

  protected updated(): void {
    if (this.hass && !this._profiles) {
      this._profiles = [];
      this.hass
        .callWS<{ profiles: { entry_id: string; name: string }[] }>({ type: "run_wellbeing/profiles" })
        .then(({ profiles }) => (this._profiles = profiles))
        .catch(() => undefined);
    }
  }

  private _change(patch: Partial<CardConfig>): void {
    this._config = { ...this._config!, ...patch };
    this.dispatchEvent(
      new CustomEvent("config-changed", { detail: { config: this._config }, bubbles: true, composed: true }),
    );
  }

  render(): TemplateResult {
    const t = translator(this.hass?.locale?.language);
    const config = this._config ?? { type: "custom:run-wellbeing-card" };
    return html`<div class="editor">
      <label>${t("profile")}
        <select id="profile" @change=${(ev: Event) => this._change({ entry_id: (ev.target as HTMLSelectElement).value })}>
          ${(this._profiles ?? []).map(
            (p) => html`<option value=${p.entry_id} ?selected=${p.entry_id === config.entry_id}>${p.name}</option>`,
          )}
        </select></label>
      <label>${t("color_by")}
        <select id="color_by" @change=${(ev: Event) => this._change({ color_by: (ev.target as HTMLSelectElement).value as "count" | "distance" })}>
          <option value="count" ?selected=${config.color_by !== "distance"}>${t("count")}</option>
          <option value="distance" ?selected=${config.color_by === "distance"}>${t("distance", { unit: "" }).replace(" ()", "")}</option>
        </select></label>
      <fieldset><legend>${t("sections")}</legend>
        ${SECTIONS.map(
          ([key, label]) => html`<label class="check"><input type="checkbox" name=${key} .checked=${config[key] !== false}
            @change=${(ev: Event) => this._change({ [key]: (ev.target as HTMLInputElement).checked })} />${t(label)}</label>`,
        )}
      </fieldset>
    </div>`;
  }

  static styles = css`
    .editor { display: grid; gap: 12px; }
    label { display: flex; flex-direction: column; gap: 4px; }
    label.check { flex-direction: row; align-items: center; gap: 8px; }
    select { font: inherit; padding: 6px; }
    fieldset { border: 1px solid var(--divider-color, #ccc); border-radius: 6px; }
  `;
}

