// Interface strings in Chinese and English. Record names come from the API, never from here.

const STRINGS = {
  title: { zh: '湾区合作图谱浏览器', en: 'Graph explorer' },
  searchPlaceholder: { zh: '搜索区域、平台、项目……（中文或英文）', en: 'Search a zone, platform, project… (Chinese or English)' },
  noHits: { zh: '无匹配结果', en: 'No match' },
  depth: { zh: '深度', en: 'Depth' },
  relations: { zh: '关系类型', en: 'Relations' },
  path: { zh: '最短路径', en: 'Shortest path' },
  pathFrom: { zh: '起点', en: 'From' },
  pathTo: { zh: '终点', en: 'To' },
  pathFind: { zh: '查找路径', en: 'Find path' },
  pathClear: { zh: '清除', en: 'Clear' },
  pathNone: { zh: '8 步之内没有路径（按所选关系类型）', en: 'No path within 8 relations (with the relations selected)' },
  pathHops: { zh: '步', en: 'relations each' },
  pathOne: { zh: '条最短路径', en: 'shortest path' },
  pathMany: { zh: '条最短路径', en: 'shortest paths' },
  pathListed: { zh: '列出', en: 'listed' },
  pathVia: { zh: '路径', en: 'Path' },
  atLeast: { zh: '至少', en: 'at least' },
  exportTitle: { zh: '导出', en: 'Export' },
  share: { zh: '分享链接', en: 'Share link' },
  copy: { zh: '复制', en: 'Copy' },
  copied: { zh: '已复制', en: 'Copied' },
  legend: { zh: '图例', en: 'Legend' },
  legendFocus: { zh: '中心节点', en: 'focus' },
  legendExpanded: { zh: '已展开', en: 'expanded' },
  legendPath: { zh: '路径', en: 'path' },
  emptyHint: {
    zh: '搜索一个实体开始浏览；点击节点展开其关联并查看详情。',
    en: 'Search an entity to start; click a node to expand its neighbours and see its details.',
  },
  startWith: { zh: '或从连接最多的记录开始：', en: 'Or start from the best-connected records:' },
  loading: { zh: '加载中……', en: 'Loading…' },
  nodes: { zh: '节点', en: 'nodes' },
  edges: { zh: '关系', en: 'relations' },
  truncated: { zh: '结果已截断（节点过多）', en: 'truncated: too many records' },
  fit: { zh: '适应窗口', en: 'Fit' },
  relayout: { zh: '重新布局', en: 'Re-layout' },
  edgeLabels: { zh: '显示关系标签', en: 'Edge labels' },
  close: { zh: '关闭', en: 'Close' },
  nameZh: { zh: '中文名', en: 'Chinese name' },
  nameEn: { zh: '英文名', en: 'English name' },
  translation: { zh: '译名', en: 'translation' },
  translationTitle: {
    zh: '英文名为整理者翻译，并非出自原文',
    en: 'A curated translation, not a quote from the sources',
  },
  descriptive: { zh: '描述性名称（原文未命名）', en: 'descriptive name (unnamed in the sources)' },
  type: { zh: '类型', en: 'Type' },
  kind: { zh: '类别', en: 'Kind' },
  aliases: { zh: '别名', en: 'Aliases' },
  level: { zh: '级别', en: 'Level' },
  area: { zh: '面积', en: 'Area' },
  status: { zh: '状态', en: 'Status' },
  date: { zh: '日期', en: 'Date' },
  dateNote: { zh: '日期说明', en: 'Date note' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  metrics: { zh: '指标', en: 'Metrics' },
  target: { zh: '目标', en: 'target' },
  reported: { zh: '实际', en: 'reported' },
  asOf: { zh: '截至', en: 'as of' },
  parties: { zh: '合作方', en: 'Parties' },
  milestones: { zh: '里程碑', en: 'Milestones' },
  citations: { zh: '引文', en: 'Citations' },
  noCitations: { zh: '无引文', en: 'No citations' },
  note: { zh: '注', en: 'Note' },
  chars: { zh: '字符', en: 'chars' },
  relation: { zh: '关系', en: 'relation' },
  focusHere: { zh: '以此为中心', en: 'Focus here' },
  expand: { zh: '展开关联', en: 'Expand' },
  setFrom: { zh: '设为起点', en: 'Path from here' },
  setTo: { zh: '设为终点', en: 'Path to here' },
  error: { zh: '出错了', en: 'Error' },
  language: { zh: 'English', en: '中文' },
  controls: { zh: '筛选', en: 'Filters' },
  controlsTitle: { zh: '筛选、路径、导出与图例', en: 'Filters, path, export and legend' },
  graphKeys: {
    zh: '图谱：方向键选择节点，回车展开，Esc 关闭详情，+ − 缩放',
    en: 'Graph: arrow keys pick a node, Enter expands it, Esc closes the details, + − zoom',
  },
  openSource: { zh: '在原文中查看', en: 'Open in the source' },
  dateInferred: { zh: '推定日期', en: 'date inferred' },
  quotes: { zh: '条引文', en: 'quotes' },
  quote: { zh: '引文', en: 'Quote' },
  prevQuote: { zh: '上一条', en: 'Previous' },
  nextQuote: { zh: '下一条', en: 'Next' },
  mentionsOf: { zh: '文中提及', en: 'Mentions of' },
  mention: { zh: '提及', en: 'mention' },
  yearsTitle: { zh: '年份（日期、里程碑）', en: 'Years (dates, milestones)' },
  yearFrom: { zh: '从', en: 'From' },
  yearTo: { zh: '至', en: 'to' },
  yearAny: { zh: '不限', en: 'any' },
  yearsHint: { zh: '只显示该时段内有日期的记录；无日期的记录保留。', en: 'Dated records outside these years are hidden; undated records stay.' },
  viewMode: { zh: '视图', en: 'View' },
  graphView: { zh: '图谱', en: 'Graph' },
  tableView: { zh: '表格', en: 'Table' },
  records: { zh: '记录', en: 'Records' },
  relationsTitle: { zh: '关系', en: 'Relations' },
  csvDownload: { zh: '下载 CSV', en: 'Download CSV' },
  colName: { zh: '名称', en: 'Name' },
  colDegree: { zh: '关系数（图中）', en: 'Relations (drawn)' },
  colId: { zh: 'ID', en: 'ID' },
  colFrom: { zh: '起点', en: 'From' },
  colTo: { zh: '终点', en: 'To' },
  colRelKind: { zh: '关系类型', en: 'Relation kind' },
  colFromId: { zh: '起点 ID', en: 'From ID' },
  colToId: { zh: '终点 ID', en: 'To ID' },
  openPlayground: { zh: '在 Playground 中打开此视图的查询', en: 'Open this view’s query in the playground' },
  sheetToggle: { zh: '展开或收起详情', en: 'Expand or collapse the details' },
};

let lang = 'zh';

export const getLang = () => lang;
export const setLang = (l) => {
  lang = l === 'en' ? 'en' : 'zh';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
};

/** The string for `key` in the current language. */
export function t(key) {
  const s = STRINGS[key];
  return s ? s[lang] : key;
}

/** Fills every [data-i18n] element's text and every [data-i18n-placeholder] placeholder. */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
}
