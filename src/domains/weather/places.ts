/** The reference ticker's places: KMA ASOS stations in station-number order. */
export interface WeatherPlace {
  id: string;
  name: string;
}

export const defaultPlaces: readonly WeatherPlace[] = [
  { id: 'asos:98', name: '동두천' },
  { id: 'asos:105', name: '강릉' },
  { id: 'asos:108', name: '서울' },
  { id: 'asos:133', name: '대전' },
  { id: 'asos:143', name: '대구' },
  { id: 'asos:152', name: '울산' },
  { id: 'asos:156', name: '광주' },
  { id: 'asos:159', name: '부산' },
  { id: 'asos:172', name: '고창' },
  { id: 'asos:184', name: '제주' },
  { id: 'asos:201', name: '강화' },
  { id: 'asos:226', name: '보은' },
  { id: 'asos:238', name: '금산' },
  { id: 'asos:259', name: '강진군' },
  { id: 'asos:283', name: '경주시' },
  { id: 'asos:294', name: '거제' },
];
