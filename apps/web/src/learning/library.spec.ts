import { describe, expect, it } from '@jest/globals';
import { isFiltered, libraryFilter, librarySearch, paginationModel, searchQuery } from './library.js';

describe('the learning library search', () => {
  it('reads the GET form: text, several themes and types, an area, dates and a page', () => {
    const s = librarySearch({
      q: ' schools linking ',
      theme: ['EDUCATION_AND_YOUNG_PEOPLE', 'LEADERSHIP', ''],
      type: ['CASE_STUDY', 'NOT_A_TYPE'],
      area: 'E08000032',
      'from-day': '1',
      'from-month': '4',
      'from-year': '2019',
      page: '2',
    });
    expect(s).toMatchObject({
      text: 'schools linking',
      themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'LEADERSHIP'],
      types: ['CASE_STUDY'],
      area: 'E08000032',
      page: 2,
    });
    expect(libraryFilter(s)).toEqual({
      filter: {
        text: 'schools linking',
        themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'LEADERSHIP'],
        types: ['CASE_STUDY'],
        areaCode: 'E08000032',
        publishedFrom: '2019-04-01',
      },
      errors: [],
      byField: {},
    });
    expect(searchQuery(s)).toBe(
      'q=schools+linking&theme=EDUCATION_AND_YOUNG_PEOPLE&theme=LEADERSHIP&type=CASE_STUDY&area=E08000032&from-day=1&from-month=4&from-year=2019',
    );
    expect(isFiltered(s)).toBe(true);
  });

  it('asks for the whole library on an empty form, from page 1 whatever the page says', () => {
    const s = librarySearch({ page: 'nine' });
    expect(s.page).toBe(1);
    expect(libraryFilter(s).filter).toEqual({});
    expect(isFiltered(s)).toBe(false);
    expect(librarySearch({ page: '0' }).page).toBe(1);
  });

  it('says which date is not a real one, linking to its day field', () => {
    const f = libraryFilter(librarySearch({ 'to-day': '31', 'to-month': '2', 'to-year': '2020' }));
    expect(f.filter).toEqual({});
    expect(f.errors).toEqual([
      { text: 'The “Published on or before” date must be a real date, like 27 3 2021', href: '#to-day' },
    ]);
    expect(f.byField.to).toBe('The “Published on or before” date must be a real date, like 27 3 2021');
  });
});

describe('the library pagination', () => {
  it('is not shown for a single page', () => {
    expect(paginationModel('', 1, 1)).toBeUndefined();
  });

  it('links the previous and next pages, keeping the search', () => {
    const p = paginationModel('q=schools', 2, 3)!;
    expect(p.previous).toEqual({ href: '/learning?q=schools&page=1' });
    expect(p.next).toEqual({ href: '/learning?q=schools&page=3' });
    expect(p.items).toEqual([
      { number: 1, href: '/learning?q=schools&page=1', current: false },
      { number: 2, href: '/learning?q=schools&page=2', current: true },
      { number: 3, href: '/learning?q=schools&page=3', current: false },
    ]);
  });

  it('shows the first, last and neighbouring pages with ellipses between', () => {
    const p = paginationModel('', 5, 10)!;
    expect(p.items.map((i) => ('ellipsis' in i ? '…' : i.number))).toEqual([1, '…', 4, 5, 6, '…', 10]);
    expect(paginationModel('', 1, 2)!.previous).toBeUndefined();
    expect(paginationModel('', 2, 2)!.next).toBeUndefined();
  });
});
