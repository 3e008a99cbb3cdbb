// The card's configuration, shared by the card and its editor.
export interface CardConfig {
  type: string;
  entry_id?: string;
  profile?: string;
  color_by?: "count" | "distance";
  show_heatmap?: boolean;
  show_week?: boolean;
  show_streaks?: boolean;
  show_mood?: boolean;
  show_next?: boolean;
  show_logging?: boolean;
}
