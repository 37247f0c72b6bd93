// The demo's settings, served by the gateway beside the app. Read once per page load.
export interface DemoConfig {
  apiKey: string;
}

let loading: Promise<DemoConfig> | undefined;

export function demoConfig(): Promise<DemoConfig> {
  loading ??= fetch(`${import.meta.env.BASE_URL}config.json`, { headers: { accept: 'application/json' } })
    .then(async (response) => {
      if (!response.ok) throw new Error(`config.json answered HTTP ${response.status}`);
      const body = (await response.json()) as Partial<DemoConfig>;
      if (typeof body.apiKey !== 'string') throw new Error('config.json has no apiKey');
      return { apiKey: body.apiKey };
    })
    .catch((error: unknown) => {
      // A later request tries again rather than keeping the failure for the page's lifetime.
      loading = undefined;
      throw error;
    });
  return loading;
}
